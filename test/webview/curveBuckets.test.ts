// The training curves' bucketing: a million steps reduced to a few thousand
// points that keep every bucket's extremes, streamed in any chunking.
import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS } from '../../core/view/curveBuckets';
import { Curve } from '../../webview/charts/curveBuckets';

/** A noisy decaying loss with one spike, as a long run might have. */
function series(n: number): number[] {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.1;
  const v = Array.from({ length: n }, (_, i) => 2 / Math.sqrt(1 + i / 100) + noise());
  if (n > 123_456) v[123_456] = 50;
  return v;
}

function streamed(values: number[], steps: number, log: boolean, chunk: number, weight = 0.6): Curve {
  const curve = new Curve(weight, steps, log);
  const arrived: number[] = []; // one array growing, as the run state's losses do
  for (let at = 0; at < values.length; at += chunk) {
    arrived.push(...values.slice(at, at + chunk));
    curve.sync(arrived);
  }
  return curve;
}

describe('curve buckets', () => {
  it('draws a 1,000,000-step run (log axis) with at most two points per bucket, keeping the spike, the minimum and the first steps', () => {
    const steps = 1_000_000;
    const values = series(steps);
    const curve = streamed(values, steps, true, 9_973);
    expect(curve.raw.length).toBeLessThanOrEqual(2 * (MAX_BUCKETS + 1));
    expect(curve.smooth.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    expect(curve.raw).toContainEqual({ x: 123_457, y: 50 }); // x = step + 1 on the log axis
    const min = values.reduce((a, b) => Math.min(a, b));
    expect(curve.raw.some((p) => p.y === min)).toBe(true);
    for (let step = 0; step < 10; step++) expect(curve.raw).toContainEqual({ x: step + 1, y: values[step] });
    curve.raw.slice(1).forEach((p, i) => expect(p.x).toBeGreaterThan(curve.raw[i].x));
    expect(curve.smooth.at(-1)!.x).toBe(steps);
  });

  it('appends to the arrays a chart draws with push() only once per new bucket (Chart.js does work on every push)', () => {
    const steps = 1_000_000;
    const values = series(100_000);
    const arrived = values.slice(0, 60_000); // the run state's losses: one array that grows
    const curve = new Curve(0.6, steps, true);
    curve.sync(arrived);
    // As Chart.js's listenArrayEvents does once the chart holds the arrays: count the calls.
    const calls = { raw: 0, smooth: 0 };
    for (const name of ['raw', 'smooth'] as const) {
      const array = curve[name];
      const push = array.push.bind(array);
      array.push = (...items) => ((calls[name] += 1), push(...items));
    }
    const bucketsBefore = curve.smooth.length;
    for (const v of values.slice(60_000)) arrived.push(v);
    curve.sync(arrived); // 40,000 steps at once, as when a busy panel catches up
    expect(calls.raw).toBe(0);
    expect(calls.smooth).toBe(curve.smooth.length - bucketsBefore);
    expect([...curve.raw]).toEqual(streamed(values, steps, true, 1000).raw);
  });

  it('gives the same points however the stream is chunked', () => {
    const values = series(50_000);
    const whole = streamed(values, 50_000, true, 50_000);
    for (const chunk of [1, 7, 1_000]) {
      const c = streamed(values, 50_000, true, chunk);
      expect(c.raw).toEqual(whole.raw);
      expect(c.smooth).toEqual(whole.smooth);
    }
  });

  it('keeps every step of a short run, with the debiased EMA written out independently', () => {
    const values = series(1_500);
    const curve = streamed(values, 1_500, false, 64, 0.9);
    expect(curve.raw).toEqual(values.map((y, x) => ({ x, y })));
    let s = 0;
    values.forEach((v, t) => {
      s = 0.9 * s + 0.1 * v;
      expect(curve.smooth[t].y).toBeCloseTo(s / (1 - Math.pow(0.9, t + 1)), 12);
    });
  });

  it('starts over when the series gets shorter (a new run)', () => {
    const curve = streamed(series(3_000), 3_000, false, 500);
    curve.sync([0.5, 0.4]);
    expect(curve.raw).toEqual([
      { x: 0, y: 0.5 },
      { x: 1, y: 0.4 },
    ]);
  });
});

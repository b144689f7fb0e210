// A long training's curves as the host keeps them (core/trainThinning.ts): the
// extremes of every bucket of the panel's step axis survive, every kept value is
// the true value of its step, and the panel draws the same points from them.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events';
import { applyEvent, emptyRunState } from '../../core/runState';
import { THIN_ABOVE, thinTraining } from '../../core/trainThinning';
import { ScenarioRunner } from '../../extension/runner';
import { FakeEngine } from '../helpers/fakeEngine';
import { Curve } from '../../webview/charts/curveBuckets';

const STEPS = 1_000_000;

/** A noisy decaying loss with spikes and a noisy accuracy, from a fixed seed. */
function run(n: number): { losses: number[]; accuracy: number[] } {
  let seed = 11;
  const noise = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const losses = Array.from({ length: n }, (_, i) => 2 / Math.sqrt(1 + i / 100) + 0.2 * noise() + (i % 77_777 === 5 ? 30 : 0));
  const accuracy = Array.from({ length: n }, () => Math.round(noise() * 8) / 8);
  return { losses, accuracy };
}

/** The panel's log-axis bucket of step i, written out here: 2,000 buckets of equal ratio over x = step + 1. */
const bucket = (i: number) => Math.floor((2000 * Math.log(i + 1)) / Math.log(STEPS + 1));

/** Per bucket: the first step of its lowest and highest value, computed over the whole raw series. */
function extremesByBucket(values: number[]): Map<number, { low: number; high: number }> {
  const out = new Map<number, { low: number; high: number }>();
  values.forEach((v, i) => {
    const e = out.get(bucket(i));
    if (!e) out.set(bucket(i), { low: i, high: i });
    else {
      if (v < values[e.low]) e.low = i;
      if (v > values[e.high]) e.high = i;
    }
  });
  return out;
}

/** The host's fold of a 1e6-step run streamed in progress events of `chunk` steps, as ScenarioRunner does it. */
function hostFold(raw: { losses: number[]; accuracy: number[] }, chunk: number) {
  const state = applyEvent(emptyRunState(), { kind: 'scenario', title: '', dtype: 'float32', cells: [{ index: 0, id: 't', type: 'train' }] });
  for (let from = 0; from < raw.losses.length; from += chunk) {
    const to = Math.min(raw.losses.length, from + chunk);
    applyEvent(state, {
      kind: 'train-progress',
      index: 0,
      id: 't',
      done: to,
      steps: STEPS,
      losses: raw.losses.slice(from, to),
      accuracy: raw.accuracy.slice(from, to),
      boundary: null,
    });
    thinTraining(state.cells[0].train!);
  }
  return state.cells[0].train!;
}

describe('thinning a long training (host state)', () => {
  const raw = run(300_000);
  const kept = hostFold(raw, 2_357);

  it('keeps a few thousand entries, each the true value of its step, in step order', () => {
    expect(kept.losses.length).toBeLessThanOrEqual(THIN_ABOVE);
    expect(kept.at).toBeDefined();
    const at = kept.at!;
    expect(at).toHaveLength(kept.losses.length);
    at.slice(1).forEach((s, k) => expect(s).toBeGreaterThan(at[k]));
    at.forEach((s, k) => {
      expect(kept.losses[k]).toBe(raw.losses[s]);
      expect(kept.accuracy[k]).toBe(raw.accuracy[s]);
    });
    expect(at.at(-1)).toBe(raw.losses.length - 1); // the latest step, for the status line
    expect(kept.done).toBe(raw.losses.length);
  });

  it("keeps every bucket's lowest and highest loss and accuracy (the spikes among them) and every early step", () => {
    const at = new Set(kept.at);
    for (const series of [raw.losses, raw.accuracy])
      for (const { low, high } of extremesByBucket(series).values()) {
        expect(at.has(low)).toBe(true);
        expect(at.has(high)).toBe(true);
      }
    for (let i = 5; i < raw.losses.length; i += 77_777) expect(at.has(i)).toBe(true);
    for (let i = 0; i < 100; i++) expect(at.has(i)).toBe(true);
  });

  it('draws the same raw curve in the panel as the whole series does', () => {
    const whole = new Curve(0.6, STEPS, true);
    whole.sync(raw.losses);
    const thinned = new Curve(0.6, STEPS, true);
    thinned.sync(kept.losses, kept.at);
    expect(thinned.raw).toEqual(whole.raw);
  });

  it('smooths a thinned series as the whole one where the left-out steps repeat the next kept value', () => {
    // Runs of equal values, one kept value per run: the EMA over the gaps is then exact.
    const values = Array.from({ length: 20_000 }, (_, i) => Math.floor(i / 7) % 5);
    const at = values.flatMap((_, i) => (i % 7 === 6 ? [i] : []));
    const whole = new Curve(0.9, 20_000, true);
    whole.sync(values);
    const thinned = new Curve(0.9, 20_000, true);
    thinned.sync(
      at.map((i) => values[i]),
      at,
    );
    const byX = new Map(whole.smooth.map((p) => [p.x, p.y]));
    for (const p of thinned.smooth.filter((q) => byX.has(q.x))) expect(p.y).toBeCloseTo(byX.get(p.x)!, 12);
    expect(thinned.smooth.length).toBeGreaterThan(100);
  });

  it('leaves a short run alone', () => {
    const short = hostFold(run(THIN_ABOVE), 1000);
    expect(short.at).toBeUndefined();
    expect(short.losses).toHaveLength(THIN_ABOVE);
  });
});

describe('the host keeps a long training thinned', () => {
  it('so a hydrate of a 200,000-step run carries at most THIN_ABOVE points per series', async () => {
    const engine = new FakeEngine();
    const runner = new ScenarioRunner(engine, async () => new Uint8Array());
    void runner.run({ uri: 'file:///a.ce.json', text: '{}', folder: null, root: null });
    const raw = run(200_000);
    const events: EngineEvent[] = [{ kind: 'scenario', title: '', dtype: 'float32', cells: [{ index: 0, id: 't', type: 'train' }] }];
    for (let from = 0; from < raw.losses.length; from += 5000)
      events.push({
        kind: 'train-progress',
        index: 0,
        id: 't',
        done: from + 5000,
        steps: STEPS,
        losses: raw.losses.slice(from, from + 5000),
        accuracy: raw.accuracy.slice(from, from + 5000),
        boundary: null,
      });
    engine.runs[0].events(events);
    const train = runner.state('file:///a.ce.json')!.cells[0].train!;
    expect(train.losses.length).toBeLessThanOrEqual(THIN_ABOVE);
    expect(train.done).toBe(200_000);
    expect(train.at!.at(-1)).toBe(199_999);
  });
});

// The panel's bounded view of a loss cell (core/scenario/lossView.ts) against
// numbers computed here: a float64 softmax of the written logits, the target as
// written, and the full result's own tensors (the view must equal what they give).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { panelEvent, panelRunState } from '../../core/panelResults';
import { applyEvent, emptyRunState } from '../../core/runState';
import type { LossResult } from '../../core/results';
import { VIEW_MAX_VALUES } from '../../core/view/bounds';
import { collect, runState } from '../helpers/run';

/** A small deterministic generator of the test's own (not the engine's). */
function numbers(count: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round(((s / 2 ** 32) * 8 - 4) * 1000) / 1000;
  });
}
const rowsOf = (flat: number[], C: number) => Array.from({ length: flat.length / C }, (_, n) => flat.slice(n * C, n * C + C));
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};
const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));

async function lossResult(cell: object, dtype: 'float32' | 'float64'): Promise<LossResult> {
  const state = await runState(JSON.stringify({ dtype, cells: [{ type: 'loss', id: 'c', ...cell }] }));
  const result = state.cells[0].result;
  if (!result?.ok || result.type !== 'loss') throw new Error(`the cell failed: ${JSON.stringify(result)}`);
  return result;
}

const closeTo = (dtype: 'float32' | 'float64') => (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    dtype === 'float64' ? 1e-12 + 1e-10 * Math.abs(expected) : 1e-6 + 2e-6 * Math.abs(expected),
  );

describe.each(['float32', 'float64'] as const)('the loss view, %s', (dtype) => {
  const close = closeTo(dtype);

  it('a 6 × 3000 cell (too wide for rows): per-element numbers as softmax and the target give them', async () => {
    const C = 3000;
    const logits = rowsOf(numbers(6 * C, 7), C);
    const target = [5, 2999, 0, -100, 1234, 77];
    const result = await lossResult({ logits, target, label_smoothing: 0.1 }, dtype);
    const { summary, rows } = result.view;
    expect(rows).toBeNull();
    logits.forEach((z, n) => {
      const p = softmax(z);
      const t = target[n];
      const top = argmax(p);
      expect(summary.targetClass[n]).toBe(t);
      expect(summary.topClass[n]).toBe(top);
      close(summary.probAtTop[n], p[top]);
      // The five most probable, most probable first (the lower class first on a tie).
      const five = p
        .map((v, c) => [v, c])
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .slice(0, 5);
      expect(summary.top!.classes[n]).toEqual(five.map(([, c]) => c));
      summary.top!.probs[n].forEach((v, i) => close(v, five[i][0]));
      if (t < 0) {
        // The ignored element: ignore_index is no class.
        expect([summary.probAtTarget[n], summary.targetAtTarget[n], summary.gradAtTarget[n]]).toEqual([NaN, NaN, NaN]);
        return;
      }
      close(summary.probAtTarget[n], p[t]);
      close(summary.targetAtTarget[n], 1 - 0.1 + 0.1 / C);
      // The view's numbers are the full result's own, read at those classes.
      expect(summary.probAtTarget[n]).toBe(result.probs!.data[n * C + t]);
      expect(summary.gradAtTarget[n]).toBe(result.grad!.data[n * C + t]);
      expect(summary.gradAtTop[n]).toBe(result.grad!.data[n * C + top]);
    });
    expect(result.probs!.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
  });

  it('probability targets over K-dim positions: the heaviest target class, position by position', async () => {
    const [N, C, D] = [2, 30, 4];
    const z = numbers(N * C * D, 11);
    const y = numbers(N * C * D, 12).map((v) => v + 4); // positive, distinct: no tie in the argmax
    const nest = (flat: number[]) =>
      Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => flat.slice((n * C + c) * D, (n * C + c) * D + D)));
    const result = await lossResult({ logits: nest(z), target: nest(y) }, dtype);
    const { summary, rows } = result.view;
    expect(rows).toBeNull();
    for (let n = 0; n < N; n++)
      for (let d = 0; d < D; d++) {
        const e = n * D + d;
        const column = (flat: number[]) => Array.from({ length: C }, (_, c) => flat[(n * C + c) * D + d]);
        const p = softmax(column(z));
        const t = argmax(column(y));
        expect(summary.targetClass[e]).toBe(t);
        close(summary.probAtTarget[e], p[t]);
        close(summary.targetAtTarget[e], column(y)[t]);
        expect(summary.topClass[e]).toBe(argmax(p));
      }
  });

  it('a small cell holds whole rows, equal to the softmax and the full result', async () => {
    const logits = rowsOf(numbers(4 * 5, 3), 5);
    const result = await lossResult({ logits, target: [0, 4, 2, 1] }, dtype);
    const rows = result.view.rows!;
    expect(rows.logits).toEqual(logits); // as written
    rows.probs.forEach((row, n) => row.forEach((v, c) => close(v, softmax(logits[n])[c])));
    expect(result.view.summary.top).toBeNull(); // the panel reads whole rows
    expect(rows.grad.flat()).toEqual(Array.from(result.grad!.data));
    expect(rows.target).toEqual([0, 4, 2, 1].map((t) => Array.from({ length: 5 }, (_, c) => (c === t ? 1 : 0))));
  });

  it(`rows stop past ${VIEW_MAX_VALUES} values even with few classes`, async () => {
    const C = 10;
    const N = VIEW_MAX_VALUES / C + 1;
    const result = await lossResult({ logits: { random: { shape: [N, C] } }, target: { random: { shape: [N], classes: C } } }, dtype);
    expect(result.view.rows).toBeNull();
    expect(result.view.summary.topClass).toHaveLength(N);
  });
});

describe('what the panel is sent of the lm-logits example (64 × 50,257 and a 21-point sweep)', () => {
  it('is under 100 KB as JSON, where the full results hold 3 × 3.2 million float32 numbers', async () => {
    const text = readFileSync(join(__dirname, '../../examples/lm-logits.ce.json'), 'utf8');
    const events = await collect(text);
    const full = events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    if (full?.kind !== 'cell-result' || full.result.type !== 'loss') throw new Error('no loss result');
    for (const t of [full.result.probs!, full.result.log_probs!, full.result.grad!]) {
      expect(t.shape).toEqual([64, 50257]);
      expect(t.data).toBeInstanceOf(Float32Array);
    }
    const panelEvents = events.map(panelEvent);
    expect(JSON.stringify(panelEvents).length).toBeLessThan(1e5);
    const lossResults = panelEvents.flatMap((e) => (e.kind === 'cell-result' && e.result.type === 'loss' ? [e.result] : []));
    expect(lossResults.map((r) => ['probs', 'log_probs', 'grad'].filter((key) => key in r))).toEqual([[]]);
    // The host keeps the full results; a hydrate posts the panel's share of them.
    const state = emptyRunState();
    for (const event of events) applyEvent(state, event);
    expect(JSON.stringify(panelRunState(state)).length).toBeLessThan(1e5);
  });
});

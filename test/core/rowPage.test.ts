// Pages of a streamed cell's per-element facts: the right rows of columns written out here, K-dim losses in
// row-major order, names, and clear errors for a page that cannot be.
import { describe, expect, it } from 'vitest';
import type { LossResult } from '../../core/results';
import { MAX_PAGE_ROWS, rowPage } from '../../core/scenario/rowPage';

/** A streamed result of `n` elements (2 × n/2 in K-dim shape when `kdim`), three named classes, element i's facts all i-based. */
function streamed(n: number, kdim = false): LossResult {
  const index = Array.from({ length: n }, (_, i) => i);
  const perSample = kdim ? [index.slice(0, n / 2).map((i) => i / 10), index.slice(n / 2).map((i) => i / 10)] : index.map((i) => i / 10);
  return {
    id: 'big',
    type: 'loss',
    ok: true,
    loss: 1,
    per_sample: perSample,
    warnings: [],
    view: { classes: ['cat', 'dog', 'bird'], shape: kdim ? [2, 3, n / 2] : [n, 3] },
    streamed: {
      file: 'logits.npy',
      stats: {} as never,
      per_row: {
        target: index.map((i) => (i % 7 === 6 ? -1 : i % 3)),
        top_class: index.map((i) => (i + 1) % 3),
        p_target: index.map((i) => 1 / (i + 2)),
        rank: index.map((i) => i % 3),
        entropy: index.map((i) => i / 100),
      },
    },
  } as unknown as LossResult;
}

describe('rowPage', () => {
  it('gives the rows of the page, with names, and fewer at the end', () => {
    const page = rowPage(streamed(20), 5, 3);
    expect(page.total).toBe(20);
    expect(page.from).toBe(5);
    expect(page.rows).toEqual([
      { element: 5, target: 2, targetName: 'bird', top_class: 0, topName: 'cat', loss: 0.5, p_target: 1 / 7, rank: 2, entropy: 0.05 },
      { element: 6, target: -1, targetName: 'ignored', top_class: 1, topName: 'dog', loss: 0.6, p_target: 1 / 8, rank: 0, entropy: 0.06 },
      { element: 7, target: 1, targetName: 'dog', top_class: 2, topName: 'bird', loss: 0.7, p_target: 1 / 9, rank: 1, entropy: 0.07 },
    ]);
    expect(rowPage(streamed(20), 18, 5).rows.map((r) => r.element)).toEqual([18, 19]);
    expect(rowPage(streamed(20), 20, 5).rows).toEqual([]);
  });

  it('reads K-dim per-element losses in row-major order, across the outer dimension', () => {
    const page = rowPage(streamed(20, true), 8, 4);
    expect(page.rows.map((r) => r.loss)).toEqual([0.8, 0.9, 1, 1.1]);
  });

  it('refuses a page that cannot be', () => {
    expect(() => rowPage(streamed(20), -1, 5)).toThrow('A page starts at an element index (an integer ≥ 0); got -1.');
    expect(() => rowPage(streamed(20), 0, MAX_PAGE_ROWS + 1)).toThrow(`A page holds 1 to ${MAX_PAGE_ROWS} rows; got ${MAX_PAGE_ROWS + 1}.`);
    const whole = { ...streamed(4), streamed: undefined } as LossResult;
    expect(() => rowPage(whole, 0, 2)).toThrow('Cell "big" is not streamed: its elements are in its view already.');
  });
});

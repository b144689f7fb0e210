// The notebook's pure helpers: which cells depend on an edited one (they turn
// stale), and the output codec that carries a cell's state to the renderer.
import { describe, expect, it } from 'vitest';
import { decodeCellOutput, encodeCellOutput } from '../../core/notebook/cellOutput';
import { emptyRunState } from '../../core/runState';
import { dependentsOf } from '../../extension/notebook/dependencies';
import { EXAMPLES } from '../fuzz/scenarios';

describe('dependentsOf', () => {
  const text = JSON.stringify({
    cells: [
      { type: 'loss', id: 'a' },
      { type: 'sweep', id: 's1', of: 'a' },
      { type: 'loss' },
      { type: 'sweep', of: 'cell-2' },
      { type: 'sweep', of: 'b' },
    ],
  });

  it('names the sweeps of a loss cell, by id or by its default cell-<index>', () => {
    expect(dependentsOf(text, 0)).toEqual([1]);
    expect(dependentsOf(text, 2)).toEqual([3]);
    expect(dependentsOf(text, 1)).toEqual([]);
    expect(dependentsOf('{"cells": [', 0)).toEqual([]);
  });

  it("finds the example's sweeps of its loss cell", () => {
    const { text: example } = EXAMPLES.find((e) => e.name === 'smoothing-temperature-sweeps.ce.json')!;
    const cells = (JSON.parse(example) as { cells: { id?: string; of?: string }[] }).cells;
    const loss = cells.findIndex((c) => c.id === 'confident');
    const sweeps = cells.flatMap((c, i) => (c.of === 'confident' ? [i] : []));
    expect(sweeps.length).toBeGreaterThan(0);
    expect(dependentsOf(example, loss)).toEqual(sweeps);
  });
});

describe('cell output codec', () => {
  it('keeps non-finite numbers, which JSON alone turns into null', () => {
    const cell = { header: { index: 0, id: 'x', type: 'train' as const }, status: 'running' as const, result: null, sweep: null, train: null };
    const train = { done: 2, steps: 3, losses: [NaN, Infinity], accuracy: [-Infinity, 0.5], boundary: null };
    const output = { index: 4, dtype: emptyRunState().dtype, cell: { ...cell, train } };
    expect(decodeCellOutput(encodeCellOutput(output))).toEqual(output);
  });
});

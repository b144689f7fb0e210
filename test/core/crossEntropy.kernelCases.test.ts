// Cross-entropy cases big enough to take every path of the SIMD kernels (vector
// loops and tails, spatial lanes and leftover positions, several memory chunks,
// ±inf / nan / huge logits), against PyTorch, for every kernel set.
// Recorded by scripts/fixtures/record-kernel-cases.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../core/nn/crossEntropy';
import type { Nested } from '../../core/results';
import { tensor } from '../../core/tensor';
import { FLOAT32, FLOAT64, expectClose } from '../helpers/golden';
import { describeEachKernelSet } from '../helpers/kernelSets';

type Json = number | 'inf' | '-inf' | 'nan';

interface KernelCase {
  name: string;
  shape: number[];
  logits: Json[];
  target: number[];
  weight: number[] | null;
  ignore_index: number;
  label_smoothing: number;
  reduction: string;
  upstream: number[] | null;
  /** The rows (first index) whose gradient was recorded; null: all. */
  grad_rows: number[] | null;
  expected: Record<'float32' | 'float64', { loss: Json[]; grad: Json[][] }>;
}

const number = (v: Json): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);
const fixture = new URL('../fixtures/torch-kernel-cases.json', import.meta.url);
const cases: KernelCase[] = JSON.parse(readFileSync(fixture, 'utf8')).cases;

describeEachKernelSet('large cases', () => {
  describe.each(['float64', 'float32'] as const)('cross_entropy against PyTorch, %s', (dtype) => {
    const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const [n, classes, ...spatial] = c.shape;
      const probs = c.target.length === c.logits.length;
      const result = crossEntropy({
        input: tensor(c.shape, c.logits.map(number)),
        target: tensor(probs ? c.shape : [n, ...spatial], c.target),
        weight: c.weight && tensor([classes], c.weight),
        ignoreIndex: c.ignore_index,
        reduction: c.reduction,
        labelSmoothing: c.label_smoothing,
        gradOutput: c.upstream && tensor(c.reduction === 'none' ? [n, ...spatial] : [], c.upstream),
        dtype,
      });
      const expected = c.expected[dtype];
      expectClose(Array.from(result.loss.data), expected.loss.map(number), tol, 'loss');
      const rowSize = result.grad.data.length / n;
      const rows = c.grad_rows ?? Array.from({ length: n }, (_, r) => r);
      const grad: Nested = rows.map((r) => Array.from(result.grad.data.subarray(r * rowSize, (r + 1) * rowSize)));
      expectClose(
        grad,
        expected.grad.map((row) => row.map(number)),
        tol,
        'grad',
      );
    });
  });

  // As PyTorch 1.13 gives them: a mean over no elements is nan, a sum 0, and "none" keeps the empty shape.
  it.each([[[2, 3, 0]], [[0, 3, 4]], [[2, 3, 0, 5]], [[0, 3]]])('an empty input %j: mean nan, sum 0, none empty, no gradient', (shape) => {
    const lossShape = [shape[0], ...shape.slice(2)];
    for (const dtype of ['float32', 'float64'] as const) {
      const at = (reduction: string) => crossEntropy({ input: tensor(shape), target: tensor(lossShape), reduction, dtype });
      expect(at('mean').loss.data[0]).toBeNaN();
      expect(Array.from(at('sum').loss.data)).toEqual([0]);
      const none = at('none');
      expect(none.loss.shape).toEqual(lossShape);
      expect(none.grad.data.length).toBe(0);
    }
  });
});

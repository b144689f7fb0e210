// Every loss case PyTorch computed, in both dtypes: loss, gradient, softmax, log_softmax, errors;
// the loss and log_softmax again from the forward pass alone (what sweeps run).
import { describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropyForward, type CrossEntropyArgs } from '../../core/nn/crossEntropy';
import { toNested } from '../../core/tensor';
import { FLOAT32, FLOAT64, expectClose, golden, toTensor } from '../helpers/golden';
import { describeEachKernelSet } from '../helpers/kernelSets';

describeEachKernelSet('golden loss cases', () => {
  describe.each(['float64', 'float32'] as const)('cross_entropy against PyTorch, %s', (dtype) => {
    const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
    it.each(golden.loss_cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const args = (): CrossEntropyArgs => ({
        input: toTensor(c.input),
        target: toTensor(c.target),
        weight: c.weight ? toTensor(c.weight) : null,
        ignoreIndex: c.ignore_index,
        reduction: c.reduction,
        labelSmoothing: c.label_smoothing,
        gradOutput: c.upstream === null ? null : toTensor(c.upstream),
        dtype,
      });
      const run = () => crossEntropy(args());
      const expected = c.expected[dtype];
      if ('error' in expected) {
        expect(run).toThrow(expected.error);
        return;
      }
      const result = run();
      expectClose(toNested(result.loss), expected.loss, tol, 'loss');
      expectClose(toNested(result.grad), expected.grad, tol, 'grad');
      const forward = crossEntropyForward(args());
      expectClose(toNested(forward.loss), expected.loss, tol, 'loss, forward pass only');
      // softmax / log_softmax are given in float64 only (a float32 run sees its inputs rounded to float32).
      if (dtype === 'float64') {
        expectClose(toNested(result.probs), c.softmax, tol, 'softmax');
        expectClose(toNested(result.logProbs), c.log_softmax, tol, 'log_softmax');
        expectClose(toNested(forward.logProbs), c.log_softmax, tol, 'log_softmax, forward pass only');
      }
    });
  });
});

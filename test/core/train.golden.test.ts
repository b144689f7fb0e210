// Every PyTorch training trajectory: the loss at each step, the final parameters and probabilities.
import { describe, it } from 'vitest';
import type { ActivationName } from '../../core/compute/activations';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../../core/nn/optimizers';
import { makeTrainer } from '../../core/nn/train';
import { FLOAT32, FLOAT64, expectClose, flatParams, golden, type GoldenTrainCase } from '../helpers/golden';
import { describeEachKernelSet } from '../helpers/kernelSets';

function optimizerOf(c: GoldenTrainCase): OptimizerOptions {
  const type = c.optimizer.type as 'sgd' | 'adam' | 'adamw';
  return { ...OPTIMIZER_DEFAULTS[type], ...c.optimizer, type } as OptimizerOptions;
}

describeEachKernelSet('golden training cases', () => {
  describe.each(['float64', 'float32'] as const)('training against PyTorch, %s', (dtype) => {
    it.each(golden.train_cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const trainer = makeTrainer({
        init: c.init,
        activation: (c.activation ?? 'relu') as ActivationName,
        x: c.x,
        target: c.target,
        optimizer: optimizerOf(c),
        loss: {
          weight: (c.loss.weight as number[] | undefined) ?? null,
          ignoreIndex: (c.loss.ignore_index as number | undefined) ?? -100,
          reduction: (c.loss.reduction as 'mean' | 'sum' | undefined) ?? 'mean',
          labelSmoothing: (c.loss.label_smoothing as number | undefined) ?? 0,
        },
        batchSize: c.batch_size,
        shuffle: null,
        dtype,
      });
      const losses = Array.from({ length: c.steps }, () => trainer.step().loss);
      const expected = c.expected[dtype];
      // float32 trajectories hold to the per-operation tolerance (worst case: one float32 ulp).
      const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
      expectClose(losses, expected.losses, tol, 'losses');
      expectClose(flatParams(trainer.params()), flatParams(expected.final), tol, 'final params');
      expectClose(trainer.probabilities(c.x), expected.final_probs, tol, 'final probs');
    });
  });
});

// torch.optim.SGD, Adam and AdamW (single-tensor CPU path), with PyTorch's
// defaults. The per-step scalars are Python floats (double) in PyTorch that meet
// the tensors in their dtype; the element-wise update is one kernel call over
// every parameter at once (the update is the same formula for each tensor).
import { rounding, type Round } from '../dtype';
import type { Dtype } from '../results';
import type { Take } from './arena';
import type { FloatArray } from '../compute/kernelSet';
import type { TrainKernels } from '../compute/trainKernels';

export interface SgdOptions {
  type: 'sgd';
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weight_decay: number;
}

export interface AdamOptions {
  type: 'adam' | 'adamw';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
}

export type OptimizerOptions = SgdOptions | AdamOptions;

export const OPTIMIZER_DEFAULTS = {
  sgd: { lr: 0.001, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 },
  adam: { lr: 0.001, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0 },
  adamw: { lr: 0.001, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0.01 },
};

export interface Optimizer {
  /** Updates `params` in place from `grads`. */
  step(k: TrainKernels, params: FloatArray, grads: FloatArray): void;
}

function sgd(o: SgdOptions, round: Round, take: Take, count: number): Optimizer {
  const buffer = take(o.momentum !== 0 ? count : 0);
  const scalars = {
    negLr: round(-o.lr),
    weightDecay: round(o.weight_decay),
    momentum: round(o.momentum),
    keep: round(1 - o.dampening),
    nesterov: o.nesterov,
  };
  let first = true;
  return {
    step(k, params, grads) {
      k.sgd(params, grads, buffer, count, scalars, first);
      first = false;
    },
  };
}

function adam(o: AdamOptions, round: Round, take: Take, count: number): Optimizer {
  const [beta1, beta2] = o.betas;
  const m = take(count);
  const v = take(count);
  const decoupled = o.type === 'adamw';
  let step = 0;
  return {
    step(k, params, grads) {
      step += 1;
      k.adam(params, grads, m, v, count, {
        decay: decoupled ? round(1 - o.lr * o.weight_decay) : 1,
        weightDecay: decoupled ? 0 : round(o.weight_decay),
        lerpWeight: round(1 - beta1),
        beta2: round(beta2),
        oneMinusBeta2: round(1 - beta2),
        eps: round(o.eps),
        negStepSize: round(-(o.lr / (1 - beta1 ** step))),
        bias2Sqrt: round(Math.sqrt(1 - beta2 ** step)),
      });
    },
  };
}

/** An optimizer of `count` parameters whose state buffers come from `take`. */
export function makeOptimizer(options: OptimizerOptions, dtype: Dtype, take: Take, count: number): Optimizer {
  const round = rounding(dtype);
  return options.type === 'sgd' ? sgd(options, round, take, count) : adam(options, round, take, count);
}

// torch.optim.SGD, Adam and AdamW (single-tensor CPU path), with PyTorch's
// defaults and update order. Every tensor op rounds to the run's dtype.
import type { Round } from '../dtype';

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
  /** Updates `params` in place from `grads` (same order and sizes). */
  step(params: Float64Array[], grads: Float64Array[]): void;
}

function sgd(o: SgdOptions, round: Round): Optimizer {
  const buffers: (Float64Array | null)[] = [];
  const momentum = round(o.momentum);
  const keep = round(1 - o.dampening);
  const wd = round(o.weight_decay);
  const lr = round(-o.lr);
  return {
    step(params, grads) {
      params.forEach((p, i) => {
        let g = grads[i];
        if (o.weight_decay !== 0) g = g.map((v, k) => round(v + round(wd * p[k])));
        if (o.momentum !== 0) {
          let buf = buffers[i] ?? null;
          if (!buf) {
            buf = Float64Array.from(g);
            buffers[i] = buf;
          } else {
            for (let k = 0; k < buf.length; k++) buf[k] = round(round(buf[k] * momentum) + round(keep * g[k]));
          }
          const b = buf;
          g = o.nesterov ? g.map((v, k) => round(v + round(momentum * b[k]))) : b;
        }
        for (let k = 0; k < p.length; k++) p[k] = round(p[k] + round(lr * g[k]));
      });
    },
  };
}

/** torch.lerp's two-sided formula, which keeps the result exact at both ends. */
function lerp(self: number, end: number, weight: number, round: Round): number {
  return Math.abs(weight) < 0.5
    ? round(self + round(weight * round(end - self)))
    : round(end - round(round(end - self) * round(1 - weight)));
}

function adam(o: AdamOptions, round: Round): Optimizer {
  const [beta1, beta2] = o.betas;
  const state: { m: Float64Array; v: Float64Array }[] = [];
  let step = 0;
  const lerpWeight = round(1 - beta1);
  const b2 = round(beta2);
  const oneMinusB2 = round(1 - beta2);
  const eps = round(o.eps);
  const wd = round(o.weight_decay);
  return {
    step(params, grads) {
      step += 1;
      // Scalars are Python floats (double) in PyTorch; they meet the tensors as the tensor's dtype.
      const stepSize = round(-(o.lr / (1 - beta1 ** step)));
      const bc2Sqrt = round(Math.sqrt(1 - beta2 ** step));
      const decay = round(1 - o.lr * o.weight_decay);
      params.forEach((p, i) => {
        const s = (state[i] ??= { m: new Float64Array(p.length), v: new Float64Array(p.length) });
        let g = grads[i];
        if (o.type === 'adamw') {
          for (let k = 0; k < p.length; k++) p[k] = round(p[k] * decay);
        } else if (o.weight_decay !== 0) {
          g = g.map((v, k) => round(v + round(wd * p[k])));
        }
        for (let k = 0; k < p.length; k++) {
          s.m[k] = lerp(s.m[k], g[k], lerpWeight, round);
          s.v[k] = round(round(s.v[k] * b2) + round(oneMinusB2 * round(g[k] * g[k])));
          const denom = round(round(round(Math.sqrt(s.v[k])) / bc2Sqrt) + eps);
          p[k] = round(p[k] + round(stepSize * round(s.m[k] / denom)));
        }
      });
    },
  };
}

export function makeOptimizer(options: OptimizerOptions, round: Round): Optimizer {
  return options.type === 'sgd' ? sgd(options, round) : adam(options, round);
}

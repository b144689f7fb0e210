// Activations between Linear layers, each forward beside its backward.
// Backward receives the forward's input and output and PyTorch's formula is used.
import type { Round } from '../dtype';
import { erf } from './erf';

export type ActivationName = 'relu' | 'tanh' | 'sigmoid' | 'gelu';

export interface Activation {
  forward(x: number, round: Round): number;
  /** d(out)/d(in) times the upstream gradient. */
  backward(grad: number, input: number, output: number, round: Round): number;
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export const activations: Record<ActivationName, Activation> = {
  relu: {
    forward: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
    // threshold_backward: the gradient passes where the output is > 0.
    backward: (grad, _input, output) => (output > 0 ? grad : 0),
  },
  tanh: {
    forward: (x, round) => round(Math.tanh(x)),
    backward: (grad, _input, y, round) => round(grad * round(1 - round(y * y))),
  },
  sigmoid: {
    forward: (x, round) => round(1 / (1 + Math.exp(-x))),
    backward: (grad, _input, y, round) => round(round(grad * round(1 - y)) * y),
  },
  gelu: {
    // PyTorch's default (approximate='none'): x·Φ(x) = x·½·(1 + erf(x/√2)).
    forward: (x, round) => round(x * 0.5 * (1 + erf(x * INV_SQRT2))),
    backward: (grad, x, _output, round) => {
      const cdf = 0.5 * (1 + erf(x * INV_SQRT2));
      const pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
      return round(grad * round(cdf + x * pdf));
    },
  },
};

export const ACTIVATION_NAMES = Object.keys(activations) as ActivationName[];

// The training kernels: matmul, activations, their backward and the optimizer
// updates, on contiguous buffers the caller owns. A kernel set hands out one
// arena per trainer (KernelSet.trainArena: all its buffers, allocated once) and
// kernels bound to it; every buffer argument is a subarray of that arena's `heap`.
//
// float32 arenas hold Float32Array and compute in native f32: every operation is
// rounded once, in the order PyTorch's CPU kernels use (sequential sums in the
// matmul, a fused multiply-add where PyTorch's compiled kernel fuses one).
// float64 arenas hold Float64Array.
import type { ActivationName } from './activations';
import type { Dtype } from '../results';
import type { FloatArray } from '../tensor';

export interface SgdScalars {
  /** −lr, weight_decay, momentum, 1 − dampening, already in the run's dtype. */
  negLr: number;
  weightDecay: number;
  momentum: number;
  keep: number;
  nesterov: boolean;
}

export interface AdamScalars {
  /** AdamW's 1 − lr·weight_decay (1 for Adam). */
  decay: number;
  /** Adam's L2 weight_decay added to the gradient (0 for AdamW). */
  weightDecay: number;
  /** 1 − β1 (torch.lerp's weight), β2, 1 − β2, eps. */
  lerpWeight: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  /** −lr / (1 − β1^t) and √(1 − β2^t), in the run's dtype. */
  negStepSize: number;
  bias2Sqrt: number;
}

export interface TrainKernels {
  readonly dtype: Dtype;
  /** The arena: every buffer argument below is a subarray of it. */
  readonly heap: FloatArray;
  /**
   * out (m×n, row-major) = A·B (+ bias[j] afterwards), where A(i, p) = a[i·aRow + p·aCol] and
   * B is row-major k×n. Each output sums p = 0..k−1 in order, one rounding per op.
   */
  matmul(a: FloatArray, aRow: number, aCol: number, b: FloatArray, m: number, k: number, n: number, bias: FloatArray | null, out: FloatArray): void;
  /** out (cols×rows) = aᵀ. */
  transpose(a: FloatArray, rows: number, cols: number, out: FloatArray): void;
  /** out[j] = Σ_i a[i·cols + j], in order of i. */
  columnSums(a: FloatArray, rows: number, cols: number, out: FloatArray): void;
  /** out[i] = act(z[i]) for i < n. */
  activation(name: ActivationName, z: FloatArray, out: FloatArray, n: number): void;
  /** grad[i] ← grad[i]·act′ at z[i] (its output y[i]), in place. */
  activationBackward(name: ActivationName, grad: FloatArray, z: FloatArray, y: FloatArray, n: number): void;
  /** torch.optim.SGD's update of n parameters; `first` starts the momentum buffer from the gradient. */
  sgd(param: FloatArray, grad: FloatArray, buffer: FloatArray, n: number, s: SgdScalars, first: boolean): void;
  /** torch.optim.Adam / AdamW's update of n parameters. */
  adam(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, n: number, s: AdamScalars): void;
}

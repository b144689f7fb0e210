// The training kernels in plain TypeScript: the fallback where WebAssembly SIMD
// is missing, and the reference the SIMD set is tested against.
// float32: a float32 store rounds; `r` rounds the intermediate values a float32
// unit would round. A fused multiply-add of float32 operands is exact in f64
// before its one rounding (the product of two floats fits a double).
import type { ActivationName } from './activations';
import { erf } from './erf';
import type { Dtype } from '../results';
import { newFloatArray, type FloatArray } from './kernelSet';
import type { AdamScalars, SgdScalars, TrainKernels } from './trainKernels';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The kernels on `heap` (also what the WebAssembly set uses for the kernels it does not accelerate). */
export function tsKernelsOn(dtype: Dtype, heap: FloatArray): TrainKernels {
  const r: (x: number) => number = dtype === 'float32' ? Math.fround : (x) => x;
  /** fma(a, b, c) rounded once (in float64: the unfused a·b + c). */
  const fma = (a: number, b: number, c: number) => r(a * b + c);

  const forward: Record<ActivationName, (z: FloatArray, out: FloatArray, n: number) => void> = {
    relu(z, out, n) {
      // NaN stays NaN; −0 becomes 0, as clamp_min(0) gives.
      for (let i = 0; i < n; i++) {
        const x = z[i];
        out[i] = x > 0 || x !== x ? x : 0;
      }
    },
    tanh(z, out, n) {
      for (let i = 0; i < n; i++) out[i] = Math.tanh(z[i]);
    },
    sigmoid(z, out, n) {
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-z[i]));
    },
    gelu(z, out, n) {
      // PyTorch's default (approximate='none'): x·Φ(x) = x·½·(1 + erf(x/√2)).
      for (let i = 0; i < n; i++) out[i] = z[i] * 0.5 * (1 + erf(z[i] * INV_SQRT2));
    },
  };

  const backward: Record<ActivationName, (g: FloatArray, z: FloatArray, y: FloatArray, n: number) => void> = {
    relu(g, _z, y, n) {
      // threshold_backward: the gradient passes where the output is > 0.
      for (let i = 0; i < n; i++) if (!(y[i] > 0)) g[i] = 0;
    },
    tanh(g, _z, y, n) {
      // tanh_backward: g·(1 − y²), with 1 − y² fused.
      for (let i = 0; i < n; i++) g[i] = g[i] * fma(-y[i], y[i], 1);
    },
    sigmoid(g, _z, y, n) {
      // sigmoid_backward: g·(1 − y)·y.
      for (let i = 0; i < n; i++) g[i] = r(g[i] * r(1 - y[i])) * y[i];
    },
    gelu(g, z, _y, n) {
      for (let i = 0; i < n; i++) {
        const x = z[i];
        const cdf = 0.5 * (1 + erf(x * INV_SQRT2));
        const pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
        g[i] = g[i] * r(cdf + x * pdf);
      }
    },
  };

  return {
    dtype,
    heap,
    matmul(a, aRow, aCol, b, m, k, n, bias, out) {
      // Row i of the output accumulates a(i, p)·B[p][:] for p in order: the same
      // per-element order as a sequential dot product, one rounding per op.
      for (let i = 0; i < m; i++) {
        const o = i * n;
        for (let j = 0; j < n; j++) out[o + j] = 0;
        for (let p = 0; p < k; p++) {
          const s = a[i * aRow + p * aCol];
          const bp = p * n;
          for (let j = 0; j < n; j++) out[o + j] = out[o + j] + r(s * b[bp + j]);
        }
        if (bias) for (let j = 0; j < n; j++) out[o + j] = out[o + j] + bias[j];
      }
    },
    transpose(a, rows, cols, out) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
    },
    columnSums(a, rows, cols, out) {
      for (let j = 0; j < cols; j++) out[j] = 0;
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] = out[j] + a[i * cols + j];
    },
    activation: (name, z, out, n) => forward[name](z, out, n),
    activationBackward: (name, g, z, y, n) => backward[name](g, z, y, n),
    sgd(p, g, buf, n, s: SgdScalars, first) {
      for (let i = 0; i < n; i++) {
        let d = s.weightDecay !== 0 ? fma(s.weightDecay, p[i], g[i]) : g[i];
        // PyTorch tests the momentum as a Python float: one that rounds to 0 in float32 still takes this path (the buffer exists).
        if (buf.length > 0) {
          // buf.mul_(momentum).add_(d, alpha=1 − dampening); nesterov: d.add(buf, alpha=momentum).
          const b = first ? d : fma(s.keep, d, r(buf[i] * s.momentum));
          buf[i] = b;
          d = s.nesterov ? fma(s.momentum, b, d) : b;
        }
        p[i] = fma(s.negLr, d, p[i]);
      }
    },
    adam(p, g, m, v, n, s: AdamScalars) {
      const oneMinusWeight = r(1 - s.lerpWeight);
      const small = Math.abs(s.lerpWeight) < 0.5;
      for (let i = 0; i < n; i++) {
        if (s.decay !== 1) p[i] = p[i] * s.decay;
        const gi = s.weightDecay !== 0 ? fma(s.weightDecay, p[i], g[i]) : g[i];
        // exp_avg.lerp_(g, 1 − β1), in torch.lerp's two-sided form.
        const diff = r(gi - m[i]);
        const mi = small ? fma(s.lerpWeight, diff, m[i]) : fma(-diff, oneMinusWeight, gi);
        m[i] = mi;
        // exp_avg_sq.mul_(β2).addcmul_(g, g, value=1 − β2).
        const vi = fma(r(s.oneMinusBeta2 * gi), gi, r(v[i] * s.beta2));
        v[i] = vi;
        // param.addcdiv_(exp_avg, sqrt(v)/√bc2 + eps, value=−step_size).
        const denom = r(r(r(Math.sqrt(vi)) / s.bias2Sqrt) + s.eps);
        p[i] = p[i] + r(r(s.negStepSize * mi) / denom);
      }
    },
  };
}

/** Kernels bound to a new zeroed arena of `length` elements. */
export const typescriptTrainArena = (dtype: Dtype, length: number): TrainKernels => tsKernelsOn(dtype, newFloatArray(dtype, length));

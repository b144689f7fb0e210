// The plain TypeScript kernel set: the reference arithmetic, and the fallback
// where WebAssembly SIMD is missing. float64 computes in doubles; float32 rounds
// every operation's result to float32 (Math.fround, or storing into a
// Float32Array), which is what a float32 unit does; row sums run in float64 and
// are rounded once.
import { rounding, type Round } from '../dtype';
import { logProbAt, type FloatArray, type IndexTargetCall, type KernelSet, type LogSoftmaxStats, type ProbTargetCall } from './kernelSet';
import { baseOf, elementCount, type ClassLayout } from './layout';
import { typescriptTrainArena } from './typescriptTrainKernels';

/**
 * log_softmax of element e, stabilised by the maximum (NaN and ±inf propagate as
 * in PyTorch): its max and log Σ exp(x − max) into `stats`, each exp(x − max) into
 * `exps` when given (the gradient buffer, which the caller then overwrites).
 * Returns Σ exp(x − max).
 */
function logSoftmaxElement(
  x: ArrayLike<number>,
  e: number,
  base: number,
  L: ClassLayout,
  stats: LogSoftmaxStats,
  exps: FloatArray | null,
  round: Round,
): number {
  const end = base + L.classes * L.inner;
  const stride = L.inner;
  let max = -Infinity;
  for (let i = base; i < end; i += stride) max = Math.max(max, x[i]);
  let sum = 0;
  for (let i = base; i < end; i += stride) {
    const exp = Math.exp(round(x[i] - max));
    if (exps) exps[i] = exp;
    sum += exp;
  }
  sum = round(sum);
  const logSum = round(Math.log(sum));
  stats.shift[e] = max;
  stats.logSum[e] = logSum;
  return sum;
}

/**
 * The gradient of element e: g(c) − p[c]·S with p[c] = exp(x − max)/Σ, the exps
 * waiting in `grad` (logSoftmaxElement put them there).
 */
function gradElement(
  grad: FloatArray,
  base: number,
  L: ClassLayout,
  sum: number,
  S: number,
  g: (c: number, i: number) => number,
  round: Round,
): void {
  for (let c = 0, i = base; c < L.classes; c++, i += L.inner) grad[i] = round(g(c, i) - round(round(grad[i] / sum) * S));
}

function classIndices(values: FloatArray, classes: number, ignoreIndex: number, out: Int32Array): number {
  let ignored = 0;
  for (let e = 0; e < values.length; e++) {
    const t = values[e];
    const c = t | 0; // t itself only for integers in int32's range
    if (t === ignoreIndex) {
      out[e] = -1;
      ignored++;
    } else if (c === t && c >= 0 && c < classes) out[e] = c;
    else return -1;
  }
  return ignored;
}

function indexTarget(k: IndexTargetCall): void {
  const round = rounding(k.dtype);
  const { layout: L, target, weight, grad } = k;
  const { classes, inner } = L;
  const w = (c: number) => (weight ? weight[c] : 1);
  for (let e = 0, n = elementCount(L); e < n; e++) {
    const base = baseOf(L, e);
    const sum = logSoftmaxElement(k.x, e, base, L, k, grad, round);
    const t = target[e];
    const ignored = t < 0;
    if (k.smooth) {
      let s = 0;
      for (let c = 0; c < classes; c++) s += round(logProbAt(k.x, base + c * inner, e, k, round) * w(c));
      k.smooth[e] = ignored ? 0 : round(-s);
    }
    k.nll[e] = ignored ? 0 : round(-logProbAt(k.x, base + t * inner, e, k, round) * w(t));
    if (!grad) continue;
    // g = d(loss)/d(log p): −ss·w[c] everywhere plus −ns·w[t] at the target; then log_softmax's backward g − p·Σg.
    const ss = ignored || !k.smoothScale ? 0 : k.smoothScale[e];
    const gt = ignored ? 0 : round(-k.nllScale[e] * w(t));
    const g = (c: number) => (c === t ? round(round(-ss * w(c)) + gt) : round(-ss * w(c)));
    let S = 0;
    if (k.smoothScale) for (let c = 0; c < classes; c++) S += g(c);
    else S = gt;
    gradElement(grad, base, L, sum, round(S), g, round);
  }
}

function probTarget(k: ProbTargetCall): void {
  const round = rounding(k.dtype);
  const { layout: L, y, weight, smoothing, grad } = k;
  const { classes, inner } = L;
  const w = (c: number) => (weight ? weight[c] : 1);
  const yAt = smoothing ? (i: number) => round(round(y[i] * smoothing.keep) + smoothing.spread) : (i: number) => y[i];
  for (let e = 0, n = elementCount(L); e < n; e++) {
    const base = baseOf(L, e);
    const sum = logSoftmaxElement(k.x, e, base, L, k, grad, round);
    let s = 0;
    for (let c = 0, i = base; c < classes; c++, i += inner) s += round(round(logProbAt(k.x, i, e, k, round) * yAt(i)) * w(c));
    k.loss[e] = round(-s);
    if (!grad) continue;
    const scale = k.scale[e];
    const g = (c: number, i: number) => round(round(-scale * yAt(i)) * w(c));
    let S = 0;
    for (let c = 0, i = base; c < classes; c++, i += inner) S += g(c, i);
    gradElement(grad, base, L, sum, round(S), g, round);
  }
}

export const typescriptKernels: KernelSet = { name: 'typescript', classIndices, indexTarget, probTarget, trainArena: typescriptTrainArena };

// The numeric kernels, with a plain interface over flat Float64Arrays so a
// faster (SIMD) implementation can replace this file without touching callers.
//
// Layout: a tensor of shape (N, C, d1..dk) is seen as [outer=N][classes=C][inner=d1·…·dk];
// an unbatched (C) input is outer=1, inner=1. Element e = n·inner + s.
import type { Round } from './dtype';

export interface ClassLayout {
  outer: number;
  classes: number;
  inner: number;
}

/** Flat offset of class c of element e. */
export const at = (L: ClassLayout, e: number, c: number): number =>
  (Math.floor(e / L.inner) * L.classes + c) * L.inner + (e % L.inner);

export const elementCount = (L: ClassLayout): number => L.outer * L.inner;

/** Calls fn(e, base) for every element, where class c of element e sits at base + c·inner. */
function forEachElement(L: ClassLayout, fn: (e: number, base: number) => void): void {
  for (let o = 0, e = 0; o < L.outer; o++) {
    for (let s = 0; s < L.inner; s++, e++) fn(e, o * L.classes * L.inner + s);
  }
}

/** log_softmax and softmax over the class dimension, stabilised by the row maximum (NaN and ±inf propagate as in PyTorch). */
export function logSoftmax(x: Float64Array, L: ClassLayout, round: Round): { logProbs: Float64Array; probs: Float64Array } {
  const logProbs = new Float64Array(x.length);
  const probs = new Float64Array(x.length);
  const { classes, inner } = L;
  forEachElement(L, (_e, base) => {
    const end = base + classes * inner;
    let max = -Infinity;
    for (let i = base; i < end; i += inner) max = Math.max(max, x[i]);
    let sum = 0;
    for (let i = base; i < end; i += inner) {
      const shifted = round(x[i] - max);
      logProbs[i] = shifted;
      probs[i] = Math.exp(shifted);
      sum += probs[i];
    }
    sum = round(sum);
    const logSum = round(Math.log(sum));
    for (let i = base; i < end; i += inner) {
      logProbs[i] = round(logProbs[i] - logSum);
      probs[i] = round(probs[i] / sum);
    }
  });
  return { logProbs, probs };
}

/** Backward of log_softmax: dx = g − softmax · Σ_c g (PyTorch's formula). */
export function logSoftmaxBackward(gradLogProbs: Float64Array, probs: Float64Array, L: ClassLayout, round: Round): Float64Array {
  const dx = new Float64Array(gradLogProbs.length);
  const { classes, inner } = L;
  forEachElement(L, (_e, base) => {
    const end = base + classes * inner;
    let sum = 0;
    for (let i = base; i < end; i += inner) sum += gradLogProbs[i];
    sum = round(sum);
    for (let i = base; i < end; i += inner) dx[i] = round(gradLogProbs[i] - round(probs[i] * sum));
  });
  return dx;
}

export interface IndexTargetTerms {
  /** −w[t]·log p[t] per element (0 where ignored). */
  nll: Float64Array;
  /** −Σ_c w[c]·log p[c] per element (0 where ignored): the label-smoothing term, when asked for. */
  smooth: Float64Array | null;
}

/** Per-element terms of cross-entropy with class-index targets. `target[e]` is already validated; `ignored[e]` marks ignore_index. */
export function indexTargetTerms(
  logProbs: Float64Array,
  target: Float64Array,
  ignored: Uint8Array,
  weight: Float64Array | null,
  withSmoothing: boolean,
  L: ClassLayout,
  round: Round,
): IndexTargetTerms {
  const nll = new Float64Array(elementCount(L));
  const smooth = withSmoothing ? new Float64Array(nll.length) : null;
  const { classes, inner } = L;
  forEachElement(L, (e, base) => {
    if (ignored[e]) return;
    const t = target[e];
    nll[e] = round(-logProbs[base + t * inner] * (weight ? weight[t] : 1));
    if (!smooth) return;
    let s = 0;
    for (let c = 0; c < classes; c++) s += round(logProbs[base + c * inner] * (weight ? weight[c] : 1));
    smooth[e] = round(-s);
  });
  return { nll, smooth };
}

/**
 * d(loss)/d(log p) for index targets. `nllScale[e]` and `smoothScale[e]` are the
 * upstream gradients reaching element e's nll and smoothing terms.
 */
export function indexTargetGrad(
  target: Float64Array,
  ignored: Uint8Array,
  weight: Float64Array | null,
  nllScale: Float64Array,
  smoothScale: Float64Array | null,
  L: ClassLayout,
  round: Round,
): Float64Array {
  const g = new Float64Array(L.outer * L.classes * L.inner);
  const { classes, inner } = L;
  forEachElement(L, (e, base) => {
    if (ignored[e]) return;
    if (smoothScale) {
      for (let c = 0; c < classes; c++) g[base + c * inner] = round(-smoothScale[e] * (weight ? weight[c] : 1));
    }
    const t = target[e];
    const i = base + t * inner;
    g[i] = round(g[i] + round(-nllScale[e] * (weight ? weight[t] : 1)));
  });
  return g;
}

/** −Σ_c w[c]·y[c]·log p[c] per element, for probability targets y (already smoothed). */
export function probTargetLoss(logProbs: Float64Array, y: Float64Array, weight: Float64Array | null, L: ClassLayout, round: Round): Float64Array {
  const loss = new Float64Array(elementCount(L));
  const { classes, inner } = L;
  forEachElement(L, (e, base) => {
    let s = 0;
    for (let c = 0, i = base; c < classes; c++, i += inner) s += round(round(logProbs[i] * y[i]) * (weight ? weight[c] : 1));
    loss[e] = round(-s);
  });
  return loss;
}

/** d(loss)/d(log p) = −scale[e]·w[c]·y[c] for probability targets. */
export function probTargetGrad(y: Float64Array, weight: Float64Array | null, scale: Float64Array, L: ClassLayout, round: Round): Float64Array {
  const g = new Float64Array(y.length);
  const { classes, inner } = L;
  forEachElement(L, (e, base) => {
    for (let c = 0, i = base; c < classes; c++, i += inner) g[i] = round(round(-scale[e] * y[i]) * (weight ? weight[c] : 1));
  });
  return g;
}

/**
 * C = op(A)·op(B) for row-major matrices, where op transposes when asked.
 * A is m×k after op, B is k×n after op. Accumulates in float64, rounds once.
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  round: Round,
): Float64Array {
  const out = new Float64Array(m * n);
  // Strides of op(A)[i][p] and op(B)[p][j] in the stored arrays.
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  // Copy a column of op(B) once, then take contiguous-ish dot products with the rows of op(A).
  const column = new Float64Array(k);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) column[p] = b[p * bRow + j * bCol];
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = 0, ai = i * aRow; p < k; p++, ai += aCol) s += a[ai] * column[p];
      out[i * n + j] = round(s);
    }
  }
  return out;
}

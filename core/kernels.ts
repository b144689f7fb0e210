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

/** log_softmax and softmax over the class dimension, stabilised by the row maximum (NaN and ±inf propagate as in PyTorch). */
export function logSoftmax(x: Float64Array, L: ClassLayout, round: Round): { logProbs: Float64Array; probs: Float64Array } {
  const logProbs = new Float64Array(x.length);
  const probs = new Float64Array(x.length);
  for (let e = 0; e < elementCount(L); e++) {
    let max = -Infinity;
    for (let c = 0; c < L.classes; c++) max = Math.max(max, x[at(L, e, c)]);
    let sum = 0;
    for (let c = 0; c < L.classes; c++) sum += Math.exp(round(x[at(L, e, c)] - max));
    const logSum = round(Math.log(round(sum)));
    for (let c = 0; c < L.classes; c++) {
      const i = at(L, e, c);
      const shifted = round(x[i] - max);
      logProbs[i] = round(shifted - logSum);
      probs[i] = round(Math.exp(shifted) / round(sum));
    }
  }
  return { logProbs, probs };
}

/** Backward of log_softmax: dx = g − softmax · Σ_c g (PyTorch's formula, with softmax = exp(log_softmax)). */
export function logSoftmaxBackward(gradLogProbs: Float64Array, logProbs: Float64Array, L: ClassLayout, round: Round): Float64Array {
  const dx = new Float64Array(gradLogProbs.length);
  for (let e = 0; e < elementCount(L); e++) {
    let sum = 0;
    for (let c = 0; c < L.classes; c++) sum += gradLogProbs[at(L, e, c)];
    sum = round(sum);
    for (let c = 0; c < L.classes; c++) {
      const i = at(L, e, c);
      dx[i] = round(gradLogProbs[i] - round(round(Math.exp(logProbs[i])) * sum));
    }
  }
  return dx;
}

export interface IndexTargetTerms {
  /** −w[t]·log p[t] per element (0 where ignored). */
  nll: Float64Array;
  /** −Σ_c w[c]·log p[c] per element (0 where ignored): the label-smoothing term. */
  smooth: Float64Array;
}

/** Per-element terms of cross-entropy with class-index targets. `target[e]` is already validated; `ignored[e]` marks ignore_index. */
export function indexTargetTerms(
  logProbs: Float64Array,
  target: Float64Array,
  ignored: Uint8Array,
  weight: Float64Array | null,
  L: ClassLayout,
  round: Round,
): IndexTargetTerms {
  const n = elementCount(L);
  const nll = new Float64Array(n);
  const smooth = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    if (ignored[e]) continue;
    const t = target[e];
    nll[e] = round(-logProbs[at(L, e, t)] * (weight ? weight[t] : 1));
    let s = 0;
    for (let c = 0; c < L.classes; c++) s += round(logProbs[at(L, e, c)] * (weight ? weight[c] : 1));
    smooth[e] = round(-s);
  }
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
  for (let e = 0; e < elementCount(L); e++) {
    if (ignored[e]) continue;
    if (smoothScale) {
      for (let c = 0; c < L.classes; c++) g[at(L, e, c)] = round(-smoothScale[e] * (weight ? weight[c] : 1));
    }
    const i = at(L, e, target[e]);
    g[i] = round(g[i] + round(-nllScale[e] * (weight ? weight[target[e]] : 1)));
  }
  return g;
}

/** −Σ_c w[c]·y[c]·log p[c] per element, for probability targets y (already smoothed). */
export function probTargetLoss(logProbs: Float64Array, y: Float64Array, weight: Float64Array | null, L: ClassLayout, round: Round): Float64Array {
  const loss = new Float64Array(elementCount(L));
  for (let e = 0; e < loss.length; e++) {
    let s = 0;
    for (let c = 0; c < L.classes; c++) {
      const i = at(L, e, c);
      s += round(round(logProbs[i] * y[i]) * (weight ? weight[c] : 1));
    }
    loss[e] = round(-s);
  }
  return loss;
}

/** d(loss)/d(log p) = −scale[e]·w[c]·y[c] for probability targets. */
export function probTargetGrad(y: Float64Array, weight: Float64Array | null, scale: Float64Array, L: ClassLayout, round: Round): Float64Array {
  const g = new Float64Array(y.length);
  for (let e = 0; e < elementCount(L); e++) {
    for (let c = 0; c < L.classes; c++) {
      const i = at(L, e, c);
      g[i] = round(round(-scale[e] * y[i]) * (weight ? weight[c] : 1));
    }
  }
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
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        const bv = transB ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      out[i * n + j] = round(s);
    }
  }
  return out;
}

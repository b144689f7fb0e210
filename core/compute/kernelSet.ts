// The interface every kernel set implements (plain TypeScript, WebAssembly SIMD).
// Kernels write into buffers the caller owns and allocate nothing of size N·C;
// they write every value of their outputs (the caller hands them unfilled
// memory: unfilledArrays.ts).
// Neither log_softmax nor softmax is among their outputs: per element they give
// the maximum logit and log Σ exp(x − max), from which the caller forms
// log p = (x − max) − log Σ, and p = exp(log p), if and when it reads them;
// `dtype` says which arithmetic to use, and every float buffer of a call is a
// Float32Array for float32 and a Float64Array for float64.
import type { Round } from '../dtype';
import type { Dtype } from '../results';
import type { FloatArray } from '../tensor';
import type { ClassLayout } from './layout';
import type { TrainKernels } from './trainKernels';

export type { FloatArray };

export type KernelSetName = 'wasm-simd' | 'typescript';

/** Per element, what log_softmax needs besides the logits: log p = (x − shift) − logSum in dtype arithmetic. */
export interface LogSoftmaxStats {
  /** The maximum logit of each element. */
  shift: FloatArray;
  /** log Σ_c exp(x[c] − shift). */
  logSum: FloatArray;
}

/** log p at value index i of element e, from its stats: (x − max) − log Σ, rounded as the kernels round (their bits). */
export const logProbAt = (x: ArrayLike<number>, i: number, e: number, stats: LogSoftmaxStats, round: Round): number =>
  round(round(x[i] - stats.shift[e]) - stats.logSum[e]);

/** Forward (and backward, when `grad` is given) of cross-entropy with class-index targets. */
export interface IndexTargetCall extends LogSoftmaxStats {
  dtype: Dtype;
  layout: ClassLayout;
  /** Logits, N·C·inner. */
  x: FloatArray;
  /** Class index per element; −1 where the element is ignored. */
  target: Int32Array;
  weight: FloatArray | null;
  /** Per element: the upstream gradient reaching its nll term (−w[t]·log p[t]). */
  nllScale: FloatArray;
  /** Per element: the upstream gradient reaching its label-smoothing term (−Σ_c w[c]·log p[c]); null without smoothing. */
  smoothScale: FloatArray | null;
  /** d(loss)/d(x), or null for the forward pass only. */
  grad: FloatArray | null;
  /** Per element: −w[t]·log p[t] (0 where ignored). */
  nll: FloatArray;
  /** Per element: −Σ_c w[c]·log p[c] (0 where ignored); null when not wanted (it is needed with smoothing). */
  smooth: FloatArray | null;
}

/** Forward (and backward) of cross-entropy with probability targets y, smoothed as y·keep + spread when `smoothing`. */
export interface ProbTargetCall extends LogSoftmaxStats {
  dtype: Dtype;
  layout: ClassLayout;
  x: FloatArray;
  y: FloatArray;
  smoothing: { keep: number; spread: number } | null;
  weight: FloatArray | null;
  /** Per element: the upstream gradient reaching its loss. */
  scale: FloatArray;
  grad: FloatArray | null;
  /** Per element: −Σ_c w[c]·y[c]·log p[c]. */
  loss: FloatArray;
}

export interface KernelSet {
  readonly name: KernelSetName;
  /**
   * Class-index targets as int32 into `out`, −1 where a value equals ignoreIndex. Returns how many do, or −1 when
   * some value is neither that nor an integer in [0, classes) (the caller then finds it and says what is wrong).
   */
  classIndices(values: FloatArray, classes: number, ignoreIndex: number, out: Int32Array): number;
  indexTarget(call: IndexTargetCall): void;
  probTarget(call: ProbTargetCall): void;
  /** Training kernels bound to a new zeroed arena of `length` elements (one per trainer). */
  trainArena(dtype: Dtype, length: number): TrainKernels;
}

export function newFloatArray(dtype: Dtype, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** `values` stored in dtype: the same array when it already is, else a rounded copy. */
export function inDtype(values: FloatArray, dtype: Dtype): FloatArray {
  if (dtype === 'float32') return values instanceof Float32Array ? values : Float32Array.from(values);
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

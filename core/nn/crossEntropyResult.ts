// What cross_entropy gives: the loss, per-element losses and the facts the views
// read, with log_softmax and the softmax probabilities worked out when first
// read, from the logits and the kernel's per-element max and log Σ
// (log p = (x − max) − log Σ, p = exp(log p)): forward + backward never needs
// them whole; a loss cell's result does.
import { logProbAt, newFloatArray, type FloatArray, type LogSoftmaxStats } from '../compute/kernelSet';
import { baseOf, elementCount, type ClassLayout } from '../compute/layout';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { Dtype, Normalisation } from '../results';
import type { Tensor } from '../tensor';
import type { CheckedArgs } from './crossEntropyArgs';
import { lossShape } from './crossEntropyReduction';

export interface CrossEntropyResult {
  targetKind: 'index' | 'probs';
  /** The reduced loss (0-d), or the per-element losses for reduction "none". */
  loss: Tensor;
  /** What reduction "none" gives: shape (N, d1..dk), or () for an unbatched input. */
  perElement: Tensor;
  probs: Tensor;
  logProbs: Tensor;
  /** d(loss)/d(logits as written). */
  grad: Tensor;
  /** Label smoothing as applied (0 unless > 0 was asked for). */
  labelSmoothing: number;
  ignored: Uint8Array;
  elementWeight: Float64Array;
  normalisation: Normalisation;
  layout: ClassLayout;
}

export type CrossEntropyForward = Omit<CrossEntropyResult, 'grad'>;

/** What a forward pass computes: per element, the loss and log_softmax's stats; the loss reduced, and mean's divisor. */
export interface ForwardOutputs {
  perElement: FloatArray;
  reduced: number;
  divisor: number;
  stats: LogSoftmaxStats;
}

/** log_softmax from the logits and the kernel's per-element stats. */
function logSoftmaxOf(x: FloatArray, stats: LogSoftmaxStats, L: ClassLayout, dtype: Dtype): FloatArray {
  const round = rounding(dtype);
  const out = unfilledFloatArray(dtype, x.length);
  for (let e = 0, n = elementCount(L); e < n; e++) {
    for (let c = 0, i = baseOf(L, e); c < L.classes; c++, i += L.inner) out[i] = logProbAt(x, i, e, stats, round);
  }
  return out;
}

/** exp of every value, in its dtype: the softmax probabilities from log_softmax. */
function expOf(t: Tensor, dtype: Dtype): Tensor {
  const data = unfilledFloatArray(dtype, t.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.exp(t.data[i]);
  return { shape: t.shape, data };
}

/** What a result keeps to form log_softmax when it is read: the logits the pass saw (after the temperature) and the stats. */
interface LogSoftmaxSource extends LogSoftmaxStats {
  x: FloatArray;
  shape: number[];
  dtype: Dtype;
}

/** A forward pass's results; log_softmax, the probabilities, `ignored` and `elementWeight` are derived when first read. */
class ForwardResult implements CrossEntropyForward {
  readonly targetKind: 'index' | 'probs';
  readonly loss: Tensor;
  readonly perElement: Tensor;
  readonly labelSmoothing: number;
  readonly normalisation: Normalisation;
  readonly layout: ClassLayout;
  private derivedLogProbs: Tensor | null = null;
  private derivedProbs: Tensor | null = null;
  private derivedElementWeight: Float64Array | null = null;
  private derivedIgnored: Uint8Array | null = null;

  constructor(
    fields: Omit<CrossEntropyForward, 'probs' | 'logProbs' | 'elementWeight' | 'ignored'>,
    private readonly logSoftmax: LogSoftmaxSource,
    /** Class-index targets as the kernels read them (−1 where ignored); null for probability targets. */
    private readonly classIndex: Int32Array | null,
    private readonly weight: FloatArray | null,
  ) {
    this.targetKind = fields.targetKind;
    this.loss = fields.loss;
    this.perElement = fields.perElement;
    this.labelSmoothing = fields.labelSmoothing;
    this.normalisation = fields.normalisation;
    this.layout = fields.layout;
  }

  get logProbs(): Tensor {
    const { x, shape, dtype } = this.logSoftmax;
    this.derivedLogProbs ??= { shape, data: logSoftmaxOf(x, this.logSoftmax, this.layout, dtype) };
    return this.derivedLogProbs;
  }

  get probs(): Tensor {
    this.derivedProbs ??= expOf(this.logProbs, this.logSoftmax.dtype);
    return this.derivedProbs;
  }

  /** 1 where the element's target is ignore_index (class index −1). */
  get ignored(): Uint8Array {
    this.derivedIgnored ??= this.classIndex ? Uint8Array.from(this.classIndex, (c) => (c < 0 ? 1 : 0)) : new Uint8Array(this.normalisation.elements);
    return this.derivedIgnored;
  }

  /** Per element: w[target] (0 where ignored) with weights, else 1 (the panel's view). */
  get elementWeight(): Float64Array {
    if (!this.derivedElementWeight) {
      const { classIndex, weight } = this;
      const elementWeight = new Float64Array(this.normalisation.elements).fill(1);
      if (weight && classIndex) for (let e = 0; e < classIndex.length; e++) elementWeight[e] = classIndex[e] < 0 ? 0 : weight[classIndex[e]];
      this.derivedElementWeight = elementWeight;
    }
    return this.derivedElementWeight;
  }
}

/** The result of a forward pass over `args` that computed `outputs`. */
export function forwardResult(args: CheckedArgs, { perElement, reduced, divisor, stats }: ForwardOutputs): CrossEntropyForward {
  const { dtype, reduction, targets, layout } = args;
  const n = elementCount(layout);
  const classIndex = targets.kind === 'index' ? targets.classIndex : null;
  const counted = n - (targets.kind === 'index' ? targets.ignoredCount : 0);
  const perElementTensor = { shape: lossShape(args.shape), data: perElement };
  return new ForwardResult(
    {
      targetKind: targets.kind,
      loss: reduction === 'none' ? perElementTensor : { shape: [], data: newFloatArray(dtype, 1).fill(reduced) },
      perElement: perElementTensor,
      labelSmoothing: args.labelSmoothing,
      normalisation: { reduction, divisor: reduction === 'mean' ? divisor : null, counted, elements: n },
      layout,
    },
    { x: args.x, shift: stats.shift, logSum: stats.logSum, shape: args.shape, dtype },
    classIndex,
    args.weight,
  );
}

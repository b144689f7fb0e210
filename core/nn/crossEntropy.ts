// torch.nn.functional.cross_entropy, forward and backward, with PyTorch's
// argument checks (same order, PyTorch's own words first) and its semantics:
// label smoothing only when > 0, `mean` normalised by Σ w[target] over
// non-ignored targets (index targets) or by N·d1·…·dk (probability targets).
// The N·C work runs on the active kernel set (compute/registry.ts); this file
// keeps to checks, per-element scalars and the reduction.
import { inDtype, logProbAt, newFloatArray, type FloatArray, type LogSoftmaxStats } from '../compute/kernelSet';
import { baseOf, elementCount, layoutOf, type ClassLayout } from '../compute/layout';
import { kernels } from '../compute/registry';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding, type Round } from '../dtype';
import type { Dtype, Normalisation, Reduction } from '../results';
import { formatShape, sameShape, tensor, unravel, type Tensor } from '../tensor';
import {
  checkHasClassDimension,
  checkIndexTargetShape,
  checkIndexTargetValues,
  checkLabelSmoothing,
  checkReduction,
  checkTemperature,
  checkWeight,
} from './crossEntropyChecks';
import { LossInputError } from './lossErrors';

export interface CrossEntropyArgs {
  input: Tensor;
  /** Class indices, or probabilities when it has exactly the input's shape (PyTorch's rule). */
  target: Tensor;
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: string;
  labelSmoothing?: number;
  /** The gradient handed to backward(): the loss's shape; null means ones. */
  gradOutput?: Tensor | null;
  /** Logits are divided by it first; 1 is exactly PyTorch. */
  temperature?: number;
  dtype: Dtype;
}

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

/** Shape of reduction "none": the input without its class dimension. */
export function lossShape(shape: readonly number[]): number[] {
  return shape.length === 1 ? [] : [shape[0], ...shape.slice(2)];
}

/** Σ values in float64, rounded to the dtype once; four running sums, so consecutive additions do not wait on each other. */
export function sum(values: FloatArray, round: Round): number {
  // Separate declarations: with `let [s0, …] = [0, …]` V8 ran this loop 4–7× slower.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const whole = values.length - (values.length % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    s0 += values[i];
    s1 += values[i + 1];
    s2 += values[i + 2];
    s3 += values[i + 3];
  }
  for (; i < values.length; i++) s0 += values[i];
  return round(s0 + s1 + (s2 + s3));
}

/** The upstream gradient reaching each element, scaled by `factor` and divided by `divisor`, in dtype. */
export function upstreamPerElement(
  gradOutput: Tensor | null,
  reduction: Reduction,
  count: number,
  factor: number,
  divisor: number,
  dtype: Dtype,
): FloatArray {
  const round = rounding(dtype);
  const scaledOf = (g: number) => {
    const scaled = round(g * factor);
    return reduction === 'mean' ? round(scaled / divisor) : scaled;
  };
  const out = unfilledFloatArray(dtype, count);
  if (reduction === 'none' && gradOutput) for (let e = 0; e < count; e++) out[e] = scaledOf(gradOutput.data[e]);
  else out.fill(scaledOf(gradOutput ? gradOutput.data[0] : 1));
  return out;
}

/**
 * The upstream gradient in the loss's shape. Like autograd, a grad_output the loss
 * shape can be expanded to (e.g. [g] for a scalar loss) is summed back down to it.
 */
export function gradOutputFor(gradOutput: Tensor | null, expected: number[], round: Round): Tensor | null {
  if (!gradOutput) return null;
  const given = gradOutput.shape;
  const lead = given.length - expected.length;
  const expandable = lead >= 0 && expected.every((d, i) => d === given[lead + i] || d === 1);
  if (!expandable) {
    throw new LossInputError(
      `grad_output must have the loss's shape ${formatShape(expected)} (PyTorch: "Mismatch in shape"), got ${formatShape(given)}.`,
      'grad_output',
    );
  }
  const out = tensor(expected);
  for (let offset = 0; offset < gradOutput.data.length; offset++) {
    const index = unravel(offset, given).slice(lead);
    const target = index.reduce((acc, v, d) => acc * expected[d] + (expected[d] === 1 ? 0 : v), 0);
    out.data[target] += gradOutput.data[offset];
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = round(out.data[i]);
  return out;
}

export type CrossEntropyForward = Omit<CrossEntropyResult, 'grad'>;

/** Forward and backward. */
export function crossEntropy(args: CrossEntropyArgs): CrossEntropyResult {
  const grad = unfilledFloatArray(args.dtype, args.input.data.length);
  return Object.assign(run(args, grad).forward, { grad: { shape: args.input.shape, data: grad } });
}

/** The forward pass only (no gradient computed): what sweeps need. */
export function crossEntropyForward(args: CrossEntropyArgs): CrossEntropyForward {
  return run(args, null).forward;
}

/**
 * The loss as a function of label_smoothing, for sweeps. With class-index targets
 * neither log_softmax nor the nll and smoothing terms depend on it, so they are
 * computed once and each point only recombines them, exactly as crossEntropy
 * would. Null for probability targets, where smoothing changes the target.
 */
export function lossOverLabelSmoothing(args: CrossEntropyArgs): ((labelSmoothing: number) => Tensor) | null {
  const { terms, forward } = run({ ...args, labelSmoothing: 0 }, null, true);
  const { loss, normalisation } = forward;
  if (!terms) return null;
  const { reduction } = normalisation;
  return (labelSmoothing) => {
    checkLabelSmoothing(labelSmoothing);
    const { perElement, reduced } = combineIndexTerms(terms, labelSmoothing > 0 ? labelSmoothing : 0, reduction, args.dtype);
    return reduction === 'none' ? { shape: loss.shape, data: perElement } : { shape: [], data: newFloatArray(args.dtype, 1).fill(reduced) };
  };
}

/** What the index-target kernel gives, from which the loss for any label smoothing follows. */
export interface IndexTerms {
  nll: FloatArray;
  /** Null when the smoothing terms were not asked for. */
  smooth: FloatArray | null;
  divisor: number;
  classes: number;
}

/** PyTorch's (1 − ls)·nll + (ls / C)·smooth, per element and reduced (mean divides each term by Σ w[t] first). */
export function combineIndexTerms(terms: IndexTerms, ls: number, reduction: Reduction, dtype: Dtype): { perElement: FloatArray; reduced: number } {
  const round = rounding(dtype);
  const { nll, smooth, divisor } = terms;
  const keep = round(1 - ls);
  const spread = round(ls / terms.classes);
  const combine = (nllTerm: number, smoothTerm: number) => (ls > 0 ? round(round(keep * nllTerm) + round(smoothTerm * spread)) : nllTerm);
  const perElement = ls > 0 && smooth ? nll.map((v, e) => combine(v, smooth[e])) : nll;
  const nllSum = sum(nll, round);
  const smoothSum = ls > 0 && smooth ? sum(smooth, round) : 0;
  const reduced = reduction === 'mean' ? combine(round(nllSum / divisor), round(smoothSum / divisor)) : combine(nllSum, smoothSum);
  return { perElement, reduced };
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

/** What a forward pass keeps to form log_softmax when it is read: the logits it saw (after the temperature) and the stats. */
interface LogSoftmaxSource extends LogSoftmaxStats {
  x: FloatArray;
  shape: number[];
  dtype: Dtype;
}

/**
 * A forward pass's results. log_softmax and the softmax probabilities are worked
 * out when first read, from the logits and the kernel's per-element max and
 * log Σ (log p = (x − max) − log Σ, p = exp(log p)): forward + backward never
 * needs them whole; a loss cell's result does.
 */
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
    private readonly elementWeightOf: () => Float64Array,
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

  /** 1 where the element's target is ignore_index (class index −1), from the class indices when first read. */
  get ignored(): Uint8Array {
    this.derivedIgnored ??= this.classIndex ? Uint8Array.from(this.classIndex, (c) => (c < 0 ? 1 : 0)) : new Uint8Array(this.normalisation.elements);
    return this.derivedIgnored;
  }

  get elementWeight(): Float64Array {
    this.derivedElementWeight ??= this.elementWeightOf();
    return this.derivedElementWeight;
  }
}

/**
 * Computes the forward pass, and d(loss)/d(logits) into `grad` when given.
 * `smoothTerms` asks for the smoothing terms even without smoothing (returned in `terms`).
 */
function run(args: CrossEntropyArgs, grad: FloatArray | null, smoothTerms = false): { forward: ForwardResult; terms: IndexTerms | null } {
  const { dtype } = args;
  const round = rounding(dtype);
  const reduction = args.reduction ?? 'mean';
  const ignoreIndex = args.ignoreIndex ?? -100;
  const requestedSmoothing = args.labelSmoothing ?? 0;
  const temperature = args.temperature ?? 1;
  const weight = args.weight ?? null;
  const { input, target } = args;

  checkReduction(reduction);
  checkTemperature(temperature);
  checkHasClassDimension(input.shape);
  const L = layoutOf(input.shape);
  const targetKind = sameShape(input.shape, target.shape) ? 'probs' : 'index';
  if (targetKind === 'probs') {
    if (ignoreIndex >= 0) throw new LossInputError('ignore_index is not supported for floating point target', 'ignore_index');
    checkWeight(weight, L.classes);
    checkLabelSmoothing(requestedSmoothing);
  } else {
    checkLabelSmoothing(requestedSmoothing);
    checkIndexTargetShape(input.shape, target.shape);
    checkWeight(weight, L.classes);
  }
  const n = elementCount(L);
  const { classIndex, ignoredCount } =
    targetKind === 'index' ? checkIndexTargetValues(target, L.classes, ignoreIndex) : { classIndex: null, ignoredCount: 0 };
  const noneShape = lossShape(input.shape);
  const gradOutput = gradOutputFor(args.gradOutput ?? null, reduction === 'none' ? noneShape : [], round);

  // PyTorch applies label smoothing only when it is > 0 (a negative value is accepted and ignored).
  const ls = requestedSmoothing > 0 ? requestedSmoothing : 0;
  const keep = round(1 - ls);
  const spread = round(ls / L.classes);
  const logits = inDtype(input.data, dtype);
  const x = temperature === 1 ? logits : logits.map((v) => v / temperature);
  const w = weight ? inDtype(weight.data, dtype) : null;
  const stats: LogSoftmaxStats = { shift: unfilledFloatArray(dtype, n), logSum: unfilledFloatArray(dtype, n) };

  let perElement: FloatArray;
  let reduced: number;
  let divisor: number;
  let terms: IndexTerms | null = null;
  // Per element: w[target] (0 where ignored) with weights, else 1 (the panel's view; built when read).
  const elementWeightOf = () => {
    const elementWeight = new Float64Array(n).fill(1);
    if (w && classIndex) for (let e = 0; e < n; e++) elementWeight[e] = classIndex[e] < 0 ? 0 : w[classIndex[e]];
    return elementWeight;
  };

  if (classIndex) {
    let total = n - ignoredCount;
    if (w) {
      total = 0;
      for (let e = 0; e < n; e++) if (classIndex[e] >= 0) total += w[classIndex[e]];
    }
    divisor = round(total);
    const nll = unfilledFloatArray(dtype, n);
    const smooth = ls > 0 || smoothTerms ? unfilledFloatArray(dtype, n) : null;
    kernels().indexTarget({
      dtype,
      layout: L,
      x,
      target: classIndex,
      weight: w,
      nllScale: upstreamPerElement(gradOutput, reduction, n, keep, divisor, dtype),
      smoothScale: ls > 0 ? upstreamPerElement(gradOutput, reduction, n, spread, divisor, dtype) : null,
      ...stats,
      grad,
      nll,
      smooth,
    });
    terms = { nll, smooth, divisor, classes: L.classes };
    ({ perElement, reduced } = combineIndexTerms(terms, ls, reduction, dtype));
  } else {
    perElement = unfilledFloatArray(dtype, n);
    divisor = n;
    kernels().probTarget({
      dtype,
      layout: L,
      x,
      y: inDtype(target.data, dtype),
      smoothing: ls > 0 ? { keep, spread } : null,
      weight: w,
      scale: upstreamPerElement(gradOutput, reduction, n, 1, divisor, dtype),
      ...stats,
      grad,
      loss: perElement,
    });
    const total = sum(perElement, round);
    reduced = reduction === 'mean' ? round(total / divisor) : total;
  }

  if (grad && temperature !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i] / temperature;

  const perElementTensor = { shape: noneShape, data: perElement };
  const counted = n - ignoredCount;
  const forward = new ForwardResult(
    {
      targetKind,
      loss: reduction === 'none' ? perElementTensor : { shape: [], data: newFloatArray(dtype, 1).fill(reduced) },
      perElement: perElementTensor,
      labelSmoothing: ls,
      normalisation: { reduction, divisor: reduction === 'mean' ? divisor : null, counted, elements: n },
      layout: L,
    },
    { x, ...stats, shape: input.shape, dtype },
    classIndex,
    elementWeightOf,
  );
  return { forward, terms };
}

// torch.nn.functional.cross_entropy, forward and backward, with PyTorch's
// argument checks (same order, PyTorch's own words first) and its semantics:
// label smoothing only when > 0, `mean` normalised by Σ w[target] over
// non-ignored targets (index targets) or by N·d1·…·dk (probability targets).
import { rounding, roundAll, type Round } from '../dtype';
import {
  at,
  elementCount,
  indexTargetGrad,
  indexTargetTerms,
  logSoftmax,
  logSoftmaxBackward,
  probTargetGrad,
  probTargetLoss,
  type ClassLayout,
} from '../kernels';
import type { Dtype, Normalisation, Reduction } from '../results';
import { formatShape, numel, sameShape, tensor, unravel, type Tensor } from '../tensor';
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
  /** Rows of C: the distribution each element is pulled towards (after smoothing). */
  targetDistribution: Float64Array;
  ignored: Uint8Array;
  elementWeight: Float64Array;
  normalisation: Normalisation;
  layout: ClassLayout;
}

const REDUCTIONS: readonly string[] = ['none', 'mean', 'sum'];

function checkReduction(reduction: string): asserts reduction is Reduction {
  if (!REDUCTIONS.includes(reduction)) {
    throw new LossInputError(`${reduction} is not a valid value for reduction (expected "none", "mean" or "sum").`, 'reduction');
  }
}

function checkWeight(weight: Tensor | null, classes: number): void {
  if (weight && (weight.shape.length !== 1 || weight.shape[0] !== classes)) {
    throw new LossInputError(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
      'weight',
    );
  }
}

function checkLabelSmoothing(ls: number): void {
  if (ls > 1 || Number.isNaN(ls)) {
    throw new LossInputError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`, 'label_smoothing');
  }
}

/** The shape checks of PyTorch's nll_loss_nd / nll_loss / nll_loss2d, in its order. */
function checkIndexTargetShape(input: Tensor, target: Tensor): void {
  const dim = input.shape.length;
  if (dim !== 1) {
    if (target.shape.length === 0) {
      throw new LossInputError(`Expected input batch_size (${input.shape[0]}) to match target batch_size, but the target is a single number; write one class index per sample.`, 'target');
    }
    if (input.shape[0] !== target.shape[0]) {
      throw new LossInputError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`, 'target');
    }
  }
  if (dim <= 2) {
    if (target.shape.length > 1) {
      throw new LossInputError('0D or 1D target tensor expected, multi-target not supported', 'target');
    }
    const noBatchDim = dim === 1 && target.shape.length === 0;
    if (!noBatchDim && input.shape[0] !== target.shape[0]) {
      throw new LossInputError(
        `size mismatch (got input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)}): an unbatched input of C scores takes a single class index.`,
        'target',
      );
    }
    return;
  }
  if (dim === 4) {
    // nll_loss2d's own checks.
    if (target.shape.length !== 3) {
      throw new LossInputError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.shape.length}`, 'target');
    }
    if (!sameShape(target.shape.slice(1), input.shape.slice(2))) {
      throw new LossInputError(`size mismatch (got input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)})`, 'target');
    }
    return;
  }
  if (!sameShape(target.shape.slice(1), input.shape.slice(2))) {
    const expected = [input.shape[0], ...input.shape.slice(2)];
    throw new LossInputError(`Expected target size ${formatShape(expected)}, got ${formatShape(target.shape)}`, 'target');
  }
}

/** Class indices must be integers in [0, C) unless equal to ignore_index. */
function checkIndexTargetValues(target: Tensor, classes: number, ignoreIndex: number): Uint8Array {
  const ignored = new Uint8Array(target.data.length);
  for (let e = 0; e < target.data.length; e++) {
    const t = target.data[e];
    if (!Number.isInteger(t)) {
      throw new LossInputError(
        `Target ${t} is not a class index: class-index targets must be integers (a target with the logits' shape would be read as probabilities).`,
        'target',
        unravel(e, target.shape),
      );
    }
    if (t === ignoreIndex) {
      ignored[e] = 1;
    } else if (t < 0 || t >= classes) {
      throw new LossInputError(
        `Target ${t} is out of bounds. Class indices run from 0 to ${classes - 1} (${classes} classes); ignore_index is ${ignoreIndex}.`,
        'target',
        unravel(e, target.shape),
      );
    }
  }
  return ignored;
}

function layoutOf(shape: readonly number[]): ClassLayout {
  if (shape.length === 1) return { outer: 1, classes: shape[0], inner: 1 };
  return { outer: shape[0], classes: shape[1], inner: numel(shape.slice(2)) };
}

/** Shape of reduction "none": the input without its class dimension. */
function lossShape(shape: readonly number[]): number[] {
  return shape.length === 1 ? [] : [shape[0], ...shape.slice(2)];
}

function sum(values: Float64Array, round: Round): number {
  let s = 0;
  for (const v of values) s += v;
  return round(s);
}

/** The upstream gradient reaching each element, scaled by `factor` and divided by `divisor`. */
function upstreamPerElement(gradOutput: Tensor | null, reduction: Reduction, count: number, factor: number, divisor: number, round: Round): Float64Array {
  const out = new Float64Array(count);
  for (let e = 0; e < count; e++) {
    const g = reduction === 'none' ? (gradOutput ? gradOutput.data[e] : 1) : gradOutput ? gradOutput.data[0] : 1;
    const scaled = round(g * factor);
    out[e] = reduction === 'mean' ? round(scaled / divisor) : scaled;
  }
  return out;
}

/**
 * The upstream gradient in the loss's shape. Like autograd, a grad_output the loss
 * shape can be expanded to (e.g. [g] for a scalar loss) is summed back down to it.
 */
function gradOutputFor(gradOutput: Tensor | null, expected: number[], round: Round): Tensor | null {
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
  gradOutput.data.forEach((g, offset) => {
    const index = unravel(offset, given).slice(lead);
    const target = index.reduce((acc, v, d) => acc * expected[d] + (expected[d] === 1 ? 0 : v), 0);
    out.data[target] += g;
  });
  return { shape: out.shape, data: roundAll(out.data, round) };
}

export function crossEntropy(args: CrossEntropyArgs): CrossEntropyResult {
  const round = rounding(args.dtype);
  const reduction = args.reduction ?? 'mean';
  const ignoreIndex = args.ignoreIndex ?? -100;
  const requestedSmoothing = args.labelSmoothing ?? 0;
  const temperature = args.temperature ?? 1;
  const weight = args.weight ?? null;
  const { input, target } = args;

  checkReduction(reduction);
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new LossInputError(`temperature must be a positive number, got ${temperature}.`, 'temperature');
  }
  if (input.shape.length === 0) {
    throw new LossInputError('Expected 1 or more dimensions (got 0): logits need a class dimension.', 'logits');
  }
  const L = layoutOf(input.shape);
  const targetKind = sameShape(input.shape, target.shape) ? 'probs' : 'index';
  if (targetKind === 'probs') {
    if (ignoreIndex >= 0) throw new LossInputError('ignore_index is not supported for floating point target', 'ignore_index');
    checkWeight(weight, L.classes);
    checkLabelSmoothing(requestedSmoothing);
  } else {
    checkLabelSmoothing(requestedSmoothing);
    checkIndexTargetShape(input, target);
    checkWeight(weight, L.classes);
  }
  const ignored = targetKind === 'index' ? checkIndexTargetValues(target, L.classes, ignoreIndex) : new Uint8Array(elementCount(L));
  const noneShape = lossShape(input.shape);
  const gradOutput = gradOutputFor(args.gradOutput ?? null, reduction === 'none' ? noneShape : [], round);

  // PyTorch applies label smoothing only when it is > 0 (a negative value is accepted and ignored).
  const ls = requestedSmoothing > 0 ? requestedSmoothing : 0;
  const keep = round(1 - ls);
  const spread = round(ls / L.classes);
  const x = roundAll(input.data.slice(), round);
  const scaled = temperature === 1 ? x : roundAll(x.map((v) => v / temperature), round);
  const w = weight ? roundAll(weight.data.slice(), round) : null;
  const { logProbs, probs } = logSoftmax(scaled, L, round);
  const n = elementCount(L);

  let perElement: Float64Array;
  let reduced: number;
  let gradLogProbs: Float64Array;
  let divisor: number;
  let targetDistribution: Float64Array;
  const elementWeight = new Float64Array(n).fill(1);

  if (targetKind === 'index') {
    const t = target.data;
    const terms = indexTargetTerms(logProbs, t, ignored, w, ls > 0, L, round);
    const combine = (nll: number, smooth: number) => (ls > 0 ? round(round(keep * nll) + round(smooth * spread)) : nll);
    const smooth = terms.smooth ?? new Float64Array(n);
    perElement = terms.nll.map((v, e) => combine(v, smooth[e]));
    let total = 0;
    for (let e = 0; e < n; e++) {
      if (!ignored[e]) total += w ? w[t[e]] : 1;
      if (w) elementWeight[e] = ignored[e] ? 0 : w[t[e]];
    }
    divisor = round(total);
    const nllSum = sum(terms.nll, round);
    const smoothSum = sum(smooth, round);
    reduced = reduction === 'mean' ? combine(round(nllSum / divisor), round(smoothSum / divisor)) : combine(nllSum, smoothSum);
    const nllScale = upstreamPerElement(gradOutput, reduction, n, keep, divisor, round);
    const smoothScale = ls > 0 ? upstreamPerElement(gradOutput, reduction, n, spread, divisor, round) : null;
    gradLogProbs = indexTargetGrad(t, ignored, w, nllScale, smoothScale, L, round);
    targetDistribution = new Float64Array(n * L.classes);
    for (let e = 0; e < n; e++) {
      if (ignored[e]) continue;
      for (let c = 0; c < L.classes; c++) targetDistribution[e * L.classes + c] = (c === t[e] ? 1 - ls : 0) + ls / L.classes;
    }
  } else {
    const y = roundAll(target.data.slice(), round);
    const smoothed = ls > 0 ? y.map((v) => round(round(v * keep) + spread)) : y;
    perElement = probTargetLoss(logProbs, smoothed, w, L, round);
    divisor = n;
    const total = sum(perElement, round);
    reduced = reduction === 'mean' ? round(total / divisor) : total;
    gradLogProbs = probTargetGrad(smoothed, w, upstreamPerElement(gradOutput, reduction, n, 1, divisor, round), L, round);
    targetDistribution = new Float64Array(n * L.classes);
    for (let e = 0; e < n; e++) for (let c = 0; c < L.classes; c++) targetDistribution[e * L.classes + c] = smoothed[at(L, e, c)];
  }

  let grad = logSoftmaxBackward(gradLogProbs, probs, L, round);
  if (temperature !== 1) grad = roundAll(grad.map((v) => v / temperature), round);

  const perElementTensor = tensor(noneShape, perElement);
  const counted = n - ignored.reduce((a, b) => a + b, 0);
  return {
    targetKind,
    loss: reduction === 'none' ? perElementTensor : tensor([], [reduced]),
    perElement: perElementTensor,
    probs: tensor(input.shape, probs),
    logProbs: tensor(input.shape, logProbs),
    grad: tensor(input.shape, grad),
    targetDistribution,
    ignored,
    elementWeight,
    normalisation: { reduction, divisor: reduction === 'mean' ? divisor : null, counted, elements: n },
    layout: L,
  };
}

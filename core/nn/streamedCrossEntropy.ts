// cross_entropy over logits left in their file, read in blocks of whole
// elements: each block runs the same kernels as the whole tensor would, into
// per-element buffers kept for the whole run, and the reduction runs once over
// them at the end, so the loss and per-element losses are the whole-tensor
// ones bit for bit. Nothing of size N·C outlives a block. Class-index targets
// only (probability targets would be a second file of the logits' size).
import { kernels } from '../compute/registry';
import { layoutOf, type ClassLayout } from '../compute/layout';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { logProbAt } from '../compute/kernelSet';
import { rounding } from '../dtype';
import type { StoredTensor } from '../files/storedTensor';
import type { Dtype, Normalisation, Reduction } from '../results';
import { sameShape, type FloatArray, type Tensor } from '../tensor';
import { combineIndexTerms, gradOutputFor, lossShape, upstreamPerElement, type IndexTerms } from './crossEntropy';
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
import { BLOCK_VALUES, blockOf, blocksOf, readBlock, type Block } from './streamBlocks';

export interface StreamedArgs {
  logits: StoredTensor;
  target: Tensor;
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: string;
  labelSmoothing: number;
  gradOutput: Tensor | null;
  temperature: number;
  dtype: Dtype;
}

/** What a streamed pass keeps per element: enough for any label smoothing, and the facts the views read. */
export interface StreamedPass {
  layout: ClassLayout;
  shape: number[];
  dtype: Dtype;
  /** Class index per element, −1 where ignored. */
  classIndex: Int32Array;
  /** The kernel's terms: the loss at any label smoothing recombines them (combineIndexTerms). */
  terms: IndexTerms & { smooth: FloatArray };
  shift: FloatArray;
  logSum: FloatArray;
  /** Most probable class (the first largest logit; NaN never wins). */
  topClass: Int32Array;
  /** Classes with a larger logit than the target's (0: the target is the top class); −1 where ignored or NaN. */
  rank: Int32Array;
  /** p(target) as the whole-tensor softmax gives it (NaN where ignored). */
  probAtTarget: FloatArray;
  /** −Σ p log p in nats, per element. */
  entropy: Float64Array;
  normalisation: Normalisation;
  ignoredCount: number;
  /** The blocks it was read in: a row's gradient is recomputed over its own block, as the pass saw it. */
  blocks: Block[];
}

/** The argument checks of the whole-tensor pass, on the file's shape. */
function checkArgs(args: StreamedArgs): { L: ClassLayout; classIndex: Int32Array; ignoredCount: number } {
  const shape = args.logits.shape;
  checkReduction(args.reduction);
  checkTemperature(args.temperature);
  checkHasClassDimension(shape);
  const L = layoutOf(shape);
  if (sameShape(shape, args.target.shape)) {
    throw new LossInputError(
      'Probability targets are not streamed: a target of the logits’ shape would be a second file of their size; give class indices.',
      'target',
    );
  }
  checkLabelSmoothing(args.labelSmoothing);
  checkIndexTargetShape(shape, args.target.shape);
  checkWeight(args.weight, L.classes);
  return { L, ...checkIndexTargetValues(args.target, L.classes, args.ignoreIndex) };
}

/** Class weights in the run's dtype, as the whole-tensor pass hands them to the kernels. */
export const weightIn = (weight: Tensor | null, dtype: Dtype): FloatArray | null =>
  weight && (dtype === 'float32' ? Float32Array.from(weight.data) : Float64Array.from(weight.data));

export class StreamCancelled extends Error {
  constructor() {
    super('stopped');
  }
}

/**
 * The forward pass over the file, block by block, yielding the elements done after each block and returning the pass;
 * throws StreamCancelled when `signal` aborts between blocks.
 */
export async function* streamCrossEntropy(
  args: StreamedArgs,
  signal?: AbortSignal,
  blockValues = BLOCK_VALUES,
): AsyncGenerator<number, StreamedPass> {
  const { dtype } = args;
  const round = rounding(dtype);
  const { L, classIndex, ignoredCount } = checkArgs(args);
  const reduction = args.reduction as Reduction;
  const n = L.outer * L.inner;
  const weight = weightIn(args.weight, dtype);
  let total = n - ignoredCount;
  if (weight) {
    total = 0;
    for (let e = 0; e < n; e++) if (classIndex[e] >= 0) total += weight[classIndex[e]];
  }
  const divisor = round(total);
  gradOutputFor(args.gradOutput, reduction === 'none' ? lossShape(args.logits.shape) : [], round);

  const pass: StreamedPass = {
    layout: L,
    shape: args.logits.shape,
    dtype,
    classIndex,
    terms: { nll: unfilledFloatArray(dtype, n), smooth: unfilledFloatArray(dtype, n), divisor, classes: L.classes },
    shift: unfilledFloatArray(dtype, n),
    logSum: unfilledFloatArray(dtype, n),
    topClass: new Int32Array(n),
    rank: new Int32Array(n),
    probAtTarget: unfilledFloatArray(dtype, n),
    entropy: new Float64Array(n),
    normalisation: { reduction, divisor: reduction === 'mean' ? divisor : null, counted: n - ignoredCount, elements: n },
    ignoredCount,
    blocks: [],
  };
  const blocks = blocksOf(L, blockValues);
  pass.blocks = blocks.list;
  const scratch = new BlockScratch(dtype, blocks.maxValues, blocks.maxElements);
  for (const block of blocks.list) {
    if (signal?.aborted) throw new StreamCancelled();
    const x = scratch.x.subarray(0, block.values);
    await readBlock(args.logits, L, block, x);
    if (args.temperature !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i] / args.temperature;
    forwardBlock(pass, block, x, weight, scratch);
    yield block.e1;
  }
  return pass;
}

/** Buffers one block at a time uses, allocated once per pass. */
class BlockScratch {
  readonly x: FloatArray;
  readonly grad: FloatArray;
  readonly ones: FloatArray;
  readonly nll: FloatArray;
  readonly shift: FloatArray;
  readonly logSum: FloatArray;
  readonly zeros: FloatArray;

  constructor(dtype: Dtype, values: number, elements: number) {
    this.x = unfilledFloatArray(dtype, values);
    this.grad = unfilledFloatArray(dtype, values);
    this.ones = unfilledFloatArray(dtype, elements).fill(1);
    this.zeros = unfilledFloatArray(dtype, elements).fill(0);
    this.nll = unfilledFloatArray(dtype, elements);
    this.shift = unfilledFloatArray(dtype, elements);
    this.logSum = unfilledFloatArray(dtype, elements);
  }
}

/** The kernel's forward pass on one block, then each element's top class, target rank, p(target) and entropy. */
function forwardBlock(pass: StreamedPass, block: Block, x: FloatArray, weight: FloatArray | null, s: BlockScratch): void {
  const { e0, e1, layout: Lb } = block;
  const count = e1 - e0;
  const round = rounding(pass.dtype);
  const target = pass.classIndex.subarray(e0, e1);
  const shift = pass.shift.subarray(e0, e1);
  const logSum = pass.logSum.subarray(e0, e1);
  kernels().indexTarget({
    dtype: pass.dtype,
    layout: Lb,
    x,
    target,
    weight,
    nllScale: s.zeros.subarray(0, count),
    smoothScale: null,
    shift,
    logSum,
    grad: null,
    nll: pass.terms.nll.subarray(e0, e1),
    smooth: pass.terms.smooth.subarray(e0, e1),
  });
  const top = pass.topClass.subarray(e0, e1);
  const { classes, inner } = Lb;
  for (let e = 0; e < count; e++) {
    const base = Math.floor(e / inner) * classes * inner + (e % inner);
    top[e] = topClassOf(x, base, classes, inner, shift[e]);
    const t = target[e];
    if (t < 0) {
      pass.rank[e0 + e] = -1;
      pass.probAtTarget[e0 + e] = NaN;
      continue;
    }
    const xt = x[base + t * inner];
    let above = 0;
    for (let c = 0, i = base; c < classes; c++, i += inner) above += +(x[i] > xt); // branch-free: the outcome is random
    pass.rank[e0 + e] = Number.isNaN(xt) || Number.isNaN(shift[e]) ? -1 : above;
    pass.probAtTarget[e0 + e] = Math.exp(round(round(xt - shift[e]) - logSum[e]));
  }
  entropyOfBlock(pass, block, x, s, top);
}

/** The first class holding the element's largest logit (the kernel's max); the first largest, NaN never winning, when the max is NaN. */
function topClassOf(x: FloatArray, base: number, classes: number, inner: number, max: number): number {
  if (!Number.isNaN(max)) for (let c = 0, i = base; c < classes; c++, i += inner) if (x[i] === max) return c;
  let best = 0;
  for (let c = 1, i = base + inner; c < classes; c++, i += inner) if (x[i] > x[base + best * inner]) best = c;
  return best;
}

/**
 * −Σ p log p = log Σ − Σ p·(x − max). The probabilities come from the kernel's
 * backward pass with the top class as target and an upstream gradient of 1:
 * there ∂/∂x[c] = p[c] exactly for every other class, and p[top] = exp(−log Σ).
 */
function entropyOfBlock(pass: StreamedPass, block: Block, x: FloatArray, s: BlockScratch, top: Int32Array): void {
  const { e0, e1, layout: Lb } = block;
  const count = e1 - e0;
  const grad = s.grad.subarray(0, x.length);
  kernels().indexTarget({
    dtype: pass.dtype,
    layout: Lb,
    x,
    target: top,
    weight: null,
    nllScale: s.ones.subarray(0, count),
    smoothScale: null,
    shift: s.shift.subarray(0, count),
    logSum: s.logSum.subarray(0, count),
    grad,
    nll: s.nll.subarray(0, count),
    smooth: null,
  });
  const { classes, inner } = Lb;
  for (let e = 0; e < count; e++) {
    const base = Math.floor(e / inner) * classes * inner + (e % inner);
    const max = s.shift[e];
    // The top class's term is 0 (its x − max is), whatever its gradient holds.
    let pulled = 0;
    for (let c = 0, i = base; c < classes; c++, i += inner) pulled += grad[i] * (x[i] - max);
    pass.entropy[e0 + e] = s.logSum[e] - pulled;
  }
}

/** The loss (reduced, and per element) at label smoothing `ls`, from the kept terms: exactly what the whole-tensor pass gives. */
export function streamedLoss(pass: StreamedPass, ls: number): { perElement: Tensor; loss: Tensor } {
  checkLabelSmoothing(ls);
  const smoothing = ls > 0 ? ls : 0;
  const { reduction } = pass.normalisation;
  const terms = smoothing > 0 ? pass.terms : { ...pass.terms, smooth: null };
  const { perElement, reduced } = combineIndexTerms(terms, smoothing, reduction, pass.dtype);
  const perElementTensor = { shape: lossShape(pass.shape), data: perElement };
  const scalar = unfilledFloatArray(pass.dtype, 1);
  scalar[0] = reduced;
  return { perElement: perElementTensor, loss: reduction === 'none' ? perElementTensor : { shape: [], data: scalar } };
}

/** One block's logits (after the temperature), log-softmax, softmax and gradient, in the run's dtype and the block's layout. */
export interface BlockTensors {
  block: Block;
  x: FloatArray;
  logProbs: FloatArray;
  probs: FloatArray;
  grad: FloatArray;
}

/**
 * A block read again from the file, with the kernel's backward pass run on it with each element's upstream
 * scales, as the whole-tensor pass runs it: every value the whole tensor's probs, log_probs and grad hold there.
 */
export async function blockTensors(pass: StreamedPass, args: StreamedArgs, block: Block): Promise<BlockTensors> {
  const { dtype } = pass;
  const round = rounding(dtype);
  const { reduction } = pass.normalisation;
  const n = pass.layout.outer * pass.layout.inner;
  const ls = args.labelSmoothing > 0 ? args.labelSmoothing : 0;
  const g = gradOutputFor(args.gradOutput, reduction === 'none' ? lossShape(pass.shape) : [], round);
  const { e0, e1 } = block;
  const scale = (factor: number) => upstreamPerElement(g, reduction, n, factor, pass.terms.divisor, dtype).subarray(e0, e1);
  const x = unfilledFloatArray(dtype, block.values);
  await readBlock(args.logits, pass.layout, block, x);
  if (args.temperature !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i] / args.temperature;
  const grad = unfilledFloatArray(dtype, block.values);
  const count = e1 - e0;
  const stats = { shift: pass.shift.subarray(e0, e1), logSum: pass.logSum.subarray(e0, e1) };
  kernels().indexTarget({
    dtype,
    layout: block.layout,
    x,
    target: pass.classIndex.subarray(e0, e1),
    weight: weightIn(args.weight, dtype),
    nllScale: scale(round(1 - ls)),
    smoothScale: ls > 0 ? scale(round(ls / pass.layout.classes)) : null,
    // The kernel writes the stats again, with the values they hold: a copy keeps the pass's own untouched.
    shift: stats.shift.slice(),
    logSum: stats.logSum.slice(),
    grad,
    nll: unfilledFloatArray(dtype, count),
    smooth: ls > 0 ? unfilledFloatArray(dtype, count) : null,
  });
  if (args.temperature !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i] / args.temperature;
  const logProbs = unfilledFloatArray(dtype, block.values);
  const probs = unfilledFloatArray(dtype, block.values);
  const { classes, inner } = block.layout;
  for (let e = 0; e < count; e++) {
    for (let c = 0, i = Math.floor(e / inner) * classes * inner + (e % inner); c < classes; c++, i += inner) {
      logProbs[i] = logProbAt(x, i, e, stats, round);
      probs[i] = Math.exp(logProbs[i]);
    }
  }
  return { block, x, logProbs, probs, grad };
}

/** The tensors of the block holding element e. */
export const tensorsAt = (pass: StreamedPass, args: StreamedArgs, e: number): Promise<BlockTensors> =>
  blockTensors(pass, args, blockOf(pass.blocks, e));

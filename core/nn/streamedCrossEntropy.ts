// cross_entropy over logits left in their file, read in blocks of whole
// elements: each block runs the same kernels as the whole tensor would, into
// per-element buffers kept for the whole run, and the reduction runs once over
// them at the end, so the loss and per-element losses are the whole-tensor
// ones bit for bit. Nothing of size N·C outlives a block. Class-index targets
// only (probability targets would be a second file of the logits' size).
import { layoutOf, type ClassLayout } from '../compute/layout';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { Reduction } from '../results';
import { sameShape, type Tensor } from '../tensor';
import { combineIndexTerms, gradOutputFor, lossShape } from './crossEntropy';
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
import { BLOCK_VALUES, blocksOf } from './streamBlocks';
import { runBlocks } from './streamedBlockPass';
import { weightIn, type StreamedArgs, type StreamedPass } from './streamedPass';

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
  pass.blocks = blocksOf(L, blockValues).list;
  yield* runBlocks(pass, args, pass.blocks, signal);
  return pass;
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

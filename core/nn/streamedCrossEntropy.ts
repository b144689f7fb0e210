// cross_entropy over logits left in their file, read in blocks of whole
// elements: each block runs the same kernels as the whole tensor would, into
// per-element buffers kept for the whole run, and the reduction runs once over
// them at the end, so the loss and per-element losses are the whole-tensor
// ones bit for bit. Nothing of size N·C outlives a block. Class-index targets
// only (probability targets would be a second file of the logits' size).
import { layoutOf, type ClassLayout } from '../compute/layout';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { Dtype, Reduction } from '../results';
import { sameShape, type Tensor } from '../tensor';
import { combineIndexTerms, gradOutputFor, lossShape } from './crossEntropy';
import * as checks from './crossEntropyChecks';
import { LossInputError } from './lossErrors';
import { BLOCK_VALUES, blocksOf, splitBlocks } from './streamBlocks';
import { runBlocks } from './streamedBlockPass';
import { weightIn, type PassHelper, type StreamedArgs, type StreamedPass } from './streamedPass';

/** The argument checks of the whole-tensor pass, on the file's shape. */
function checkArgs(args: StreamedArgs): { L: ClassLayout; classIndex: Int32Array; ignoredCount: number } {
  const shape = args.logits.shape;
  checks.checkReduction(args.reduction);
  checks.checkTemperature(args.temperature);
  checks.checkHasClassDimension(shape);
  const L = layoutOf(shape);
  if (sameShape(shape, args.target.shape)) {
    throw new LossInputError(
      'Probability targets are not streamed: a target of the logits’ shape would be a second file of their size; give class indices.',
      'target',
    );
  }
  checks.checkLabelSmoothing(args.labelSmoothing);
  checks.checkIndexTargetShape(shape, args.target.shape);
  checks.checkWeight(args.weight, L.classes);
  return { L, ...checks.checkIndexTargetValues(args.target, L.classes, args.ignoreIndex) };
}

/** Per-element arrays of the pass: ordinary (unfilled) memory, or memory a helper thread shares. */
function elementArrays(dtype: Dtype, n: number, share: ((bytes: number) => ArrayBuffer) | null) {
  const floats = () =>
    share ? (dtype === 'float32' ? new Float32Array(share(4 * n)) : new Float64Array(share(8 * n))) : unfilledFloatArray(dtype, n);
  return {
    floats,
    ints: () => (share ? new Int32Array(share(4 * n)) : new Int32Array(n)),
    doubles: () => (share ? new Float64Array(share(8 * n)) : new Float64Array(n)),
  };
}

/**
 * The forward pass over the file, block by block, yielding the elements done after each block and returning the pass;
 * throws StreamCancelled when `signal` aborts between blocks. With a `helper` that accepts the pass, a share of the
 * blocks runs in its thread.
 */
export async function* streamCrossEntropy(
  args: StreamedArgs,
  signal?: AbortSignal,
  blockValues = BLOCK_VALUES,
  helper?: PassHelper,
): AsyncGenerator<number, StreamedPass> {
  const { dtype } = args;
  const round = rounding(dtype);
  const { L, classIndex: checked, ignoredCount } = checkArgs(args);
  const reduction = args.reduction as Reduction;
  const n = L.outer * L.inner;
  const weight = weightIn(args.weight, dtype);
  let total = n - ignoredCount;
  if (weight) {
    total = 0;
    for (let e = 0; e < n; e++) if (checked[e] >= 0) total += weight[checked[e]];
  }
  const divisor = round(total);
  gradOutputFor(args.gradOutput, reduction === 'none' ? lossShape(args.logits.shape) : [], round);

  const blocks = blocksOf(L, blockValues);
  const shared = helper && blocks.length > 1 && helper.accepts(args) ? helper : null;
  const memory = elementArrays(dtype, n, shared && ((bytes) => shared.share(bytes)));
  const classIndex = shared ? memory.ints() : checked;
  if (shared) classIndex.set(checked);
  const pass: StreamedPass = {
    layout: L,
    shape: args.logits.shape,
    dtype,
    classIndex,
    terms: { nll: memory.floats(), smooth: memory.floats(), divisor, classes: L.classes },
    shift: memory.floats(),
    logSum: memory.floats(),
    topClass: memory.ints(),
    rank: memory.ints(),
    probAtTarget: memory.floats(),
    entropy: memory.doubles(),
    normalisation: { reduction, divisor: reduction === 'mean' ? divisor : null, counted: n - ignoredCount, elements: n },
    ignoredCount,
    blocks,
  };
  if (!shared) {
    yield* runBlocks(pass, args, blocks, signal);
    return pass;
  }
  const [theirs, ours] = splitBlocks(blocks);
  const helping = shared.run(pass, args, theirs);
  try {
    // Progress counts this thread's share twice: the helper's runs alongside at about the same pace.
    const first = ours[0].e0;
    for await (const done of runBlocks(pass, args, ours, signal)) yield Math.min(n, 2 * (done - first));
    await helping.done;
  } catch (error) {
    helping.cancel();
    throw error;
  }
  return pass;
}

/** The loss (reduced, and per element) at label smoothing `ls`, from the kept terms: exactly what the whole-tensor pass gives. */
export function streamedLoss(pass: StreamedPass, ls: number): { perElement: Tensor; loss: Tensor } {
  checks.checkLabelSmoothing(ls);
  const smoothing = ls > 0 ? ls : 0;
  const { reduction } = pass.normalisation;
  const terms = smoothing > 0 ? pass.terms : { ...pass.terms, smooth: null };
  const { perElement, reduced } = combineIndexTerms(terms, smoothing, reduction, pass.dtype);
  const perElementTensor = { shape: lossShape(pass.shape), data: perElement };
  const scalar = unfilledFloatArray(pass.dtype, 1);
  scalar[0] = reduced;
  return { perElement: perElementTensor, loss: reduction === 'none' ? perElementTensor : { shape: [], data: scalar } };
}

// A streamed pass's N×C tensors, block by block: the block read again from the
// file and the kernel's backward pass run on it, for a row clicked in the panel
// and for the CLI's --tensors.
import { logProbAt } from '../compute/kernelSet';
import { kernels } from '../compute/registry';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { FloatArray } from '../tensor';
import { gradOutputFor } from './crossEntropyChecks';
import { lossShape, upstreamPerElement } from './crossEntropyReduction';
import { weightIn, type StreamedArgs, type StreamedPass } from './streamedPass';
import { blockOf, readBlock, type Block } from './streamBlocks';

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

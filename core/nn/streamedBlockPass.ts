// The per-block work of a streamed pass: read a block of whole elements, run the
// kernel's forward pass on it into the pass's per-element arrays, then each
// element's top class, target rank, p(target) and entropy. The main thread runs
// it over its blocks, and a helper thread (node/streamHelper.ts) over a share of them.
import { kernels } from '../compute/registry';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding } from '../dtype';
import type { Dtype } from '../results';
import type { FloatArray } from '../tensor';
import { StreamCancelled, weightIn, type StreamedArgs, type StreamedPass } from './streamedPass';
import { readBlock, type Block } from './streamBlocks';

/** Runs `blocks` of the pass (elements done after each), reading each from the file; throws StreamCancelled when `signal` aborts between blocks. */
export async function* runBlocks(pass: StreamedPass, args: StreamedArgs, blocks: readonly Block[], signal?: AbortSignal): AsyncGenerator<number> {
  const weight = weightIn(args.weight, args.dtype);
  const scratch = new BlockScratch(
    args.dtype,
    blocks.reduce((m, b) => Math.max(m, b.values), 0),
    blocks.reduce((m, b) => Math.max(m, b.e1 - b.e0), 0),
  );
  for (const block of blocks) {
    if (signal?.aborted) throw new StreamCancelled();
    const x = scratch.x.subarray(0, block.values);
    await readBlock(args.logits, pass.layout, block, x);
    if (args.temperature !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i] / args.temperature;
    forwardBlock(pass, block, x, weight, scratch);
    yield block.e1;
  }
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

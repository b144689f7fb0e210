// What a streamed pass over a logits file is: its arguments, and the per-element
// arrays it keeps (filled block by block by streamedBlockPass.ts, in this thread
// or, on shared memory, in a helper thread too).
import type { ClassLayout } from '../compute/layout';
import type { StoredTensor } from '../files/storedTensor';
import type { Dtype, Normalisation } from '../results';
import type { FloatArray, Tensor } from '../tensor';
import type { IndexTerms } from './crossEntropyReduction';
import type { Block } from './streamBlocks';

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

/** Class weights in the run's dtype, as the whole-tensor pass hands them to the kernels. */
export const weightIn = (weight: Tensor | null, dtype: Dtype): FloatArray | null =>
  weight && (dtype === 'float32' ? Float32Array.from(weight.data) : Float64Array.from(weight.data));

/**
 * A second thread for a large pass (Node: node/streamHelper.ts): the pass's per-element arrays are put on
 * memory it shares, and it runs a share of the blocks into them while this thread runs the rest. Each
 * element is computed by the same code either way, so the results are the same bits as with one thread.
 */
export interface PassHelper {
  /** Whether it takes part in a pass over this file (large enough, and a file it can open itself). */
  accepts(args: StreamedArgs): boolean;
  /** Memory the helper's thread shares (a SharedArrayBuffer). */
  share(bytes: number): ArrayBuffer;
  /** Runs `blocks` of `pass` there; the promise settles when they are done (or failed). `cancel` stops it. */
  run(pass: StreamedPass, args: StreamedArgs, blocks: Block[]): { done: Promise<void>; cancel(): void };
}

export class StreamCancelled extends Error {
  constructor() {
    super('stopped');
  }
}

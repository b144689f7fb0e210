// New float arrays for outputs that are written whole before anything reads
// them: a loss call's gradient, its per-element buffers, log_softmax and
// softmax. JavaScript zero-fills every new typed array, a pass over memory as
// long as the one that then overwrites it (16 MB for a 4096 × 1000 float32
// gradient), and on Linux the fill also faults in fresh pages. A runtime that
// can give memory without the fill installs it with useUnfilledMemory (the
// Node engine worker, the CLI: node/unfilledMemory.ts); elsewhere, in a browser
// Web Worker, these arrays are zero-filled as usual.
import type { Dtype } from '../results';
import { newFloatArray, type FloatArray } from './kernelSet';

export interface UnfilledMemory {
  /** An ArrayBuffer of exactly `bytes` bytes whose contents are unspecified. */
  allocate(bytes: number): ArrayBuffer;
  /** Arrays of fewer bytes are ordinary ones (small typed arrays are cheaper to make, and zero-filled). */
  fromBytes: number;
}

let unfilledMemory: UnfilledMemory | null = null;

/** Where unfilled arrays come from from now on; null: zero-filled arrays. */
export function useUnfilledMemory(memory: UnfilledMemory | null): void {
  unfilledMemory = memory;
}

/** A new float array whose values are unspecified: every one must be written before it is read. */
export function unfilledFloatArray(dtype: Dtype, length: number): FloatArray {
  const bytes = length * (dtype === 'float32' ? 4 : 8);
  if (!unfilledMemory || bytes < unfilledMemory.fromBytes) return newFloatArray(dtype, length);
  const memory = unfilledMemory.allocate(bytes);
  return dtype === 'float32' ? new Float32Array(memory) : new Float64Array(memory);
}

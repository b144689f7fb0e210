// Lays a trainer's buffers out back to back in one kernel arena: `build` is run
// once to count the lengths it takes, then again to take its views of the arena
// (so `build` must take the same lengths whatever the views hold).
import type { Dtype } from '../results';
import type { FloatArray } from '../compute/kernelSet';
import { kernels } from '../compute/registry';
import type { TrainKernels } from '../compute/trainKernels';

export type Take = (length: number) => FloatArray;

/** Every buffer starts on a 16-byte boundary (v128 loads are fastest aligned). */
const padded = (n: number) => Math.ceil(n / 4) * 4;

/** The buffers `build` takes, in a new arena of the active kernel set. */
export function carveArena<T>(dtype: Dtype, build: (take: Take) => T): { kernels: TrainKernels; buffers: T } {
  let length = 0;
  const counting = new Float64Array(0);
  build((n) => {
    length += padded(n);
    return counting;
  });
  const k = kernels().trainArena(dtype, length);
  let at = 0;
  const buffers = build((n) => {
    const view = k.heap.subarray(at, at + n);
    at += padded(n);
    return view;
  });
  if (at !== length) throw new Error(`The arena layout changed between its two passes (${length} then ${at} elements).`);
  return { kernels: k, buffers };
}

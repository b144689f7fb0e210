// Lays a trainer's buffers out back to back in one kernel arena: `build` is run
// once to count the lengths it takes, then again to take its views of the arena.
import type { Dtype } from '../results';
import type { FloatArray, TrainKernels, TrainKernelSet } from './trainKernels';

export type Take = (length: number) => FloatArray;

export function carveArena<T>(set: TrainKernelSet, dtype: Dtype, build: (take: Take) => T): { kernels: TrainKernels; buffers: T } {
  let length = 0;
  const counting = new Float64Array(0);
  build((n) => {
    length += n;
    return counting;
  });
  const kernels = set.arena(dtype, length);
  let at = 0;
  const buffers = build((n) => kernels.heap.subarray(at, (at += n)));
  return { kernels, buffers };
}

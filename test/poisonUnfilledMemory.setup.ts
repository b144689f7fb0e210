// Every unit test runs with the engine's unfilled arrays (core/compute/unfilledArrays.ts)
// full of NaN, whatever their size: a value the engine forgets to write then shows
// up against PyTorch's numbers, where zero-filled memory could pass for a right 0.
import { useUnfilledMemory } from '../core/compute/unfilledArrays';

useUnfilledMemory({
  allocate(bytes) {
    const memory = new ArrayBuffer(bytes);
    new Uint8Array(memory).fill(0xff); // all ones: NaN in float32 and float64
    return memory;
  },
  fromBytes: 0,
});

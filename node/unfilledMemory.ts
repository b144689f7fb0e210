// Memory without the zero-fill, for the engine's unfilled arrays
// (core/compute/unfilledArrays.ts): Buffer.allocUnsafeSlow gives an ArrayBuffer
// of its own, not a slice of Node's shared pool, that nothing else holds.
import { Buffer } from 'node:buffer';
import { useUnfilledMemory, type UnfilledMemory } from '../core/compute/unfilledArrays';

export const nodeUnfilledMemory: UnfilledMemory = {
  allocate(bytes) {
    const buffer = Buffer.allocUnsafeSlow(bytes);
    // Its own ArrayBuffer, as documented; were it ever a view into a larger one, a plain (zero-filled) buffer.
    return buffer.byteOffset === 0 && buffer.buffer.byteLength === bytes ? (buffer.buffer as ArrayBuffer) : new ArrayBuffer(bytes);
  },
  // Below 16 KB a zero-filled typed array costs less than a call into Node's allocator.
  fromBytes: 1 << 14,
};

/**
 * glibc's malloc gives memory freed above its trim threshold back to the system,
 * and the next allocation faults it in again page by page (about 2 µs a page in
 * a VM). Each loss call makes a fresh gradient that the garbage collector frees
 * later, many at once, so at 8 × 21 × 64 × 64 float32 a call took 25 to 90
 * faults. The threshold follows the largest block freed from mmap, up to 32 MB:
 * one such block, never touched, allocated and dropped here raises it to 24 MB
 * (48 MB kept), and a call then takes about 3. Elsewhere (musl, macOS,
 * Windows) this costs an untouched allocation and changes nothing.
 */
const TRIM_RAISING_BYTES = 24 << 20;
let trimRaised = false;

/** The engine's unfilled arrays from Node's allocator, in this thread, from now on. */
export function useNodeMemory(): void {
  useUnfilledMemory(nodeUnfilledMemory);
  if (!trimRaised) Buffer.allocUnsafeSlow(TRIM_RAISING_BYTES);
  trimRaised = true;
}

// Memory without the zero-fill, for the engine's unfilled arrays
// (core/compute/unfilledArrays.ts): Buffer.allocUnsafeSlow gives an ArrayBuffer
// of its own, not a slice of Node's shared pool, that nothing else holds.
import { Buffer } from 'node:buffer';
import type { UnfilledMemory } from '../core/compute/unfilledArrays';

export const nodeUnfilledMemory: UnfilledMemory = {
  allocate(bytes) {
    const buffer = Buffer.allocUnsafeSlow(bytes);
    // Its own ArrayBuffer, as documented; were it ever a view into a larger one, a plain (zero-filled) buffer.
    return buffer.byteOffset === 0 && buffer.buffer.byteLength === bytes ? (buffer.buffer as ArrayBuffer) : new ArrayBuffer(bytes);
  },
  // Below 16 KB a zero-filled typed array costs less than a call into Node's allocator.
  fromBytes: 1 << 14,
};

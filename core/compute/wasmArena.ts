// Places a kernel call's buffers in the WebAssembly memory, one after another
// from the module's heap base (16-byte aligned for v128 loads), growing the
// memory when a call needs more. Every call reuses the same space.
import type { Dtype } from '../results';
import type { FloatArray } from './kernelSet';
import type { WasmKernelExports } from './wasmModule';

const PAGE = 65536;

export const bytesPer = (dtype: Dtype): number => (dtype === 'float32' ? 4 : 8);

/** Byte offsets for buffers of the given byte sizes (0 for a size of 0: "absent"). */
export function place(wasm: WasmKernelExports, sizes: readonly number[]): number[] {
  let next = Math.ceil(wasm.heapBase() / 16) * 16;
  const offsets = sizes.map((size) => {
    if (size === 0) return 0;
    const at = next;
    next += Math.ceil(size / 16) * 16;
    return at;
  });
  const missing = next - wasm.memory.buffer.byteLength;
  if (missing > 0) wasm.memory.grow(Math.ceil(missing / PAGE));
  return offsets;
}

/** A view of `length` values of dtype at byte offset `at` (valid until the memory next grows). */
export function viewAt(wasm: WasmKernelExports, dtype: Dtype, at: number, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(wasm.memory.buffer, at, length) : new Float64Array(wasm.memory.buffer, at, length);
}

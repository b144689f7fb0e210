// Places a kernel call's buffers in the WebAssembly memory, one after another
// from the module's heap base (16-byte aligned for v128 loads), growing the
// memory when a call needs more. Every call reuses the same space.
import type { Dtype } from '../results';
import type { FloatArray } from './kernelSet';
import { WASM_CALLS, type FloatBufferName, type Int32BufferName, type WasmKernelName } from './wasmCalls';
import type { WasmKernelExports } from './wasmModule';

const PAGE = 65536;

export const bytesPer = (dtype: Dtype): number => (dtype === 'float32' ? 4 : 8);

/** Byte offsets for buffers of the given byte sizes (0 for a size of 0: "absent"). */
function place(wasm: WasmKernelExports, sizes: readonly number[]): number[] {
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
function viewAt(wasm: WasmKernelExports, dtype: Dtype, at: number, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(wasm.memory.buffer, at, length) : new Float64Array(wasm.memory.buffer, at, length);
}

/** A kernel's buffers placed by slot name: their byte offsets (0: absent), and views of them typed by the slot's kind. */
export interface PlacedBuffers<K extends WasmKernelName> {
  at: Record<FloatBufferName<K> | Int32BufferName<K>, number>;
  /** The buffer's values, or null when it is absent (valid until the memory next grows). */
  float(name: FloatBufferName<K>): FloatArray | null;
  int32(name: Int32BufferName<K>): Int32Array | null;
}

/**
 * Places every buffer of a `kernel` call: `lengths` gives each one's length in
 * values (0: absent); its kind in WASM_CALLS gives the bytes per value. `slack`
 * bytes follow each buffer (room for a kernel's whole-vector tails).
 */
export function placeBuffers<K extends WasmKernelName>(
  wasm: WasmKernelExports,
  kernel: K,
  dtype: Dtype,
  lengths: Record<FloatBufferName<K> | Int32BufferName<K>, number>,
  slack = 0,
): PlacedBuffers<K> {
  type Name = FloatBufferName<K> | Int32BufferName<K>;
  const lengthOf: Record<string, number> = lengths;
  const buffers = WASM_CALLS[kernel].filter((slot) => slot.kind === 'buffer' || slot.kind === 'int32buffer');
  const bytes = (kind: string) => (kind === 'int32buffer' ? 4 : bytesPer(dtype));
  const offsets = place(
    wasm,
    buffers.map(({ name, kind }) => (lengthOf[name] ? lengthOf[name] * bytes(kind) + slack : 0)),
  );
  const at = Object.fromEntries(buffers.map(({ name }, i) => [name, offsets[i]])) as Record<Name, number>;
  return {
    at,
    float: (name) => (at[name] ? viewAt(wasm, dtype, at[name], lengthOf[name]) : null),
    int32: (name) => (at[name] ? new Int32Array(wasm.memory.buffer, at[name], lengthOf[name]) : null),
  };
}

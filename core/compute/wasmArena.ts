// Places a kernel call's buffers in the WebAssembly memory, one after another
// from the module's heap base (16-byte aligned for v128 loads), growing the
// memory when a call needs more. Every call reuses the same space.
import type { Dtype } from '../results';
import type { FloatArray } from './kernelSet';
import {
  WASM_CALLS,
  type BufferName,
  type FloatBufferName,
  type Int32BufferName,
  type ScalarName,
  type Slot,
  type SlotKind,
  type WasmKernelName,
} from './wasmCalls';
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

/** A kernel call placed in memory, its slots packed in WASM_CALLS's order and set by name. */
export interface PlacedCall<K extends WasmKernelName> {
  /** Sets a scalar slot for the runs that follow. */
  set(name: ScalarName<K>, value: number): void;
  /** Runs the kernel on the slots as they stand. */
  run(): void;
  /** The buffer's values, or null when it is absent (valid until the memory next grows). */
  float(name: FloatBufferName<K>): FloatArray | null;
  int32(name: Int32BufferName<K>): Int32Array | null;
}

/** Per kernel, each slot's place in its call. */
const SLOT_INDEX = new Map<string, Map<string, number>>(
  Object.entries(WASM_CALLS).map(([kernel, slots]) => [kernel, new Map(slots.map((slot, i) => [slot.name, i]))]),
);

const isBuffer = (kind: SlotKind) => kind === 'buffer' || kind === 'int32buffer';

/**
 * Places a `kernel` call: `lengths` gives each buffer's length in values (0:
 * absent), its kind in WASM_CALLS the bytes per value, and `slack` bytes follow
 * each (room for a kernel's whole-vector tails); `scalars` gives the other slots.
 */
export function placeCall<K extends WasmKernelName>(
  wasm: WasmKernelExports,
  kernel: K,
  dtype: Dtype,
  lengths: Record<BufferName<K>, number>,
  scalars: Record<ScalarName<K>, number>,
  slack = 0,
): PlacedCall<K> {
  const lengthOf: Record<string, number> = lengths;
  const scalarOf: Record<string, number> = scalars;
  const slots: readonly Slot[] = WASM_CALLS[kernel];
  const index = SLOT_INDEX.get(kernel)!;
  const sizes: number[] = [];
  for (const { name, kind } of slots)
    sizes.push(isBuffer(kind) && lengthOf[name] ? lengthOf[name] * (kind === 'int32buffer' ? 4 : bytesPer(dtype)) + slack : 0);
  const offsets = place(wasm, sizes);
  const packed = new Float64Array(slots.length);
  for (let i = 0; i < slots.length; i++) packed[i] = isBuffer(slots[i].kind) ? offsets[i] : scalarOf[slots[i].name];
  const offsetOf = (name: string) => packed[index.get(name)!];
  return {
    set: (name, value) => (packed[index.get(name)!] = value),
    run: () => wasm.callPacked(kernel, dtype, packed),
    float: (name) => (offsetOf(name) ? viewAt(wasm, dtype, offsetOf(name), lengthOf[name]) : null),
    int32: (name) => (offsetOf(name) ? new Int32Array(wasm.memory.buffer, offsetOf(name), lengthOf[name]) : null),
  };
}

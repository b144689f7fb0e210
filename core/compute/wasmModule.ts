// Instantiates the WebAssembly SIMD kernels from the bytes embedded in the
// bundle (wasmBinary.generated.ts, built by scripts/build-wasm.mjs). Synchronous
// compilation is allowed in Node and in Web Workers, which is where the engine runs.
import type { Dtype } from '../results';
import { decodeBase64 } from './base64';
import { WASM_CALLS, type CallArgs, type WasmKernelName } from './wasmCalls';
import { WASM_KERNELS_BASE64 } from './wasmBinary.generated';

/** Per kernel: its number (its place in WASM_CALLS) and its slots' names, in order. */
const CALLS = new Map<string, { number: number; names: readonly string[] }>(
  Object.entries(WASM_CALLS).map(([kernel, slots], number) => [kernel, { number, names: slots.map((slot) => slot.name) }]),
);

/** The parameter block's length in f64 (wasm/index.ts): kernel, dtype, then the longest call's slots. */
const PARAMS = 2 + Math.max(...[...CALLS.values()].map(({ names }) => names.length));

interface RawExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  params(): number;
  run(): void;
}

/** An instance of the kernels: its memory, where free space starts, and the calls. */
export interface WasmKernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  /** Runs `kernel` on its arguments given by slot name (byte offsets, sizes, scalars). */
  call<K extends WasmKernelName>(kernel: K, dtype: Dtype, args: CallArgs<K>): void;
  /** Runs `kernel` on its slots packed in WASM_CALLS's order, as placeCall (wasmArena.ts) packs them by name. */
  callPacked(kernel: WasmKernelName, dtype: Dtype, slots: Float64Array): void;
}

function isRawExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & RawExports {
  return ['heapBase', 'params', 'run'].every((name) => typeof exports[name] === 'function') && exports.memory instanceof WebAssembly.Memory;
}

function bind(raw: RawExports): WasmKernelExports {
  let block = new Float64Array(0);
  /** Writes the block's header (kernel, dtype); returns the kernel's slot names. */
  function header(kernel: WasmKernelName, dtype: Dtype): readonly string[] {
    // A grown memory has a new buffer: the old views are detached.
    if (block.buffer !== raw.memory.buffer) block = new Float64Array(raw.memory.buffer, raw.params(), PARAMS);
    const { number, names } = CALLS.get(kernel)!;
    block[0] = number;
    block[1] = dtype === 'float32' ? 1 : 0;
    return names;
  }
  return {
    memory: raw.memory,
    heapBase: () => raw.heapBase(),
    call(kernel, dtype, args) {
      const names = header(kernel, dtype);
      const values: Record<string, number> = args;
      for (let i = 0; i < names.length; i++) block[2 + i] = values[names[i]];
      raw.run();
    },
    callPacked(kernel, dtype, slots) {
      header(kernel, dtype);
      block.set(slots, 2);
      raw.run();
    },
  };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly or its SIMD extension is missing (the module then fails to compile). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(decodeBase64(WASM_KERNELS_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A new instance of the kernels, with a memory of its own, or null where the module cannot run here. */
export function instantiateWasmKernels(): WasmKernelExports | null {
  const module = kernelModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, {});
  return isRawExports(instance.exports) ? bind(instance.exports) : null;
}

// Instantiates the WebAssembly SIMD kernels from the bytes embedded in the
// bundle (wasmBinary.generated.ts, built by scripts/build-wasm.mjs). Synchronous
// compilation is allowed in Node and in Web Workers, which is where the engine runs.
import type { Dtype } from '../results';
import { decodeBase64 } from './base64';
import { WASM_KERNELS_BASE64 } from './wasmBinary.generated';

/** The kernels, in wasm/index.ts's numbering (their place here). */
const KERNELS = [
  'loss',
  'exp',
  'log',
  'matmul',
  'transpose',
  'columnSums',
  'relu',
  'reluBackward',
  'tanh',
  'tanhBackward',
  'expNonPositive',
  'logOfSum',
  'classIndices',
] as const;
export type WasmKernelName = (typeof KERNELS)[number];
const KERNEL_NUMBER = new Map<string, number>(KERNELS.map((name, i) => [name, i]));

/** The parameter block's length in f64 (wasm/index.ts): kernel, dtype, then the arguments. */
const PARAMS = 32;

interface RawExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  params(): number;
  run(): void;
}

/** An instance of the kernels: its memory, where free space starts, and `call` (arguments: byte offsets, sizes, scalars). */
export interface WasmKernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  call(kernel: WasmKernelName, dtype: Dtype, args: readonly number[]): void;
}

function isRawExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & RawExports {
  return ['heapBase', 'params', 'run'].every((name) => typeof exports[name] === 'function') && exports.memory instanceof WebAssembly.Memory;
}

function bind(raw: RawExports): WasmKernelExports {
  let block = new Float64Array(0);
  return {
    memory: raw.memory,
    heapBase: () => raw.heapBase(),
    call(kernel, dtype, args) {
      // A grown memory has a new buffer: the old views are detached.
      if (block.buffer !== raw.memory.buffer) block = new Float64Array(raw.memory.buffer, raw.params(), PARAMS);
      block[0] = KERNEL_NUMBER.get(kernel) ?? -1;
      block[1] = dtype === 'float32' ? 1 : 0;
      block.set(args, 2);
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

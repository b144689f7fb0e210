// Instantiates the WebAssembly SIMD kernels from the bytes embedded in the
// bundle (wasmBinary.generated.ts, built by scripts/build-wasm.mjs). Synchronous
// compilation is allowed in Node and in Web Workers, which is where the engine runs.
import { decodeBase64 } from './base64';
import { WASM_KERNELS_BASE64 } from './wasmBinary.generated';

type Kernel = (...args: number[]) => void;

const KERNELS = [
  'lossF32',
  'lossF64',
  'expF32',
  'expF64',
  'logF32',
  'logF64',
  'matmulF32',
  'matmulF64',
  'transposeF32',
  'transposeF64',
  'columnSumsF32',
  'columnSumsF64',
  'reluF32',
  'reluF64',
  'reluBackwardF32',
  'reluBackwardF64',
  'tanhF32',
  'tanhF64',
  'tanhBackwardF32',
  'tanhBackwardF64',
] as const;

/** The module's exports: its memory, where free space starts, and the kernels (arguments: byte offsets, sizes, scalars). */
export type WasmKernelExports = { memory: WebAssembly.Memory; heapBase(): number } & Record<(typeof KERNELS)[number], Kernel>;

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & WasmKernelExports {
  return [...KERNELS, 'heapBase'].every((name) => typeof exports[name] === 'function') && exports.memory instanceof WebAssembly.Memory;
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
  return isKernelExports(instance.exports) ? instance.exports : null;
}

// Instantiates the WebAssembly SIMD kernels from the bytes embedded in the
// bundle (wasmBinary.generated.ts, built by scripts/build-wasm.mjs). Synchronous
// compilation is allowed in Node and in Web Workers, which is where the engine runs.
import { decodeBase64 } from './base64';
import { WASM_KERNELS_BASE64 } from './wasmBinary.generated';

type Kernel = (...args: number[]) => void;

const KERNELS = [
  'indexTargetRowsF32',
  'indexTargetRowsF64',
  'indexTargetLanesF32',
  'indexTargetLanesF64',
  'probTargetRowsF32',
  'probTargetRowsF64',
  'probTargetLanesF32',
  'probTargetLanesF64',
  'expF32',
  'expF64',
  'logF32',
  'logF64',
] as const;

/** The module's exports: its memory, where free space starts, and the kernels (arguments: byte offsets, sizes, scalars). */
export type WasmKernelExports = { memory: WebAssembly.Memory; heapBase(): number } & Record<(typeof KERNELS)[number], Kernel>;

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & WasmKernelExports {
  return [...KERNELS, 'heapBase'].every((name) => typeof exports[name] === 'function') && exports.memory instanceof WebAssembly.Memory;
}

/** The kernels' exports, or null where WebAssembly or its SIMD extension is missing (the module then fails to compile). */
export function instantiateWasmKernels(): WasmKernelExports | null {
  if (typeof WebAssembly !== 'object') return null;
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(WASM_KERNELS_BASE64)), {});
  } catch {
    return null;
  }
  return isKernelExports(instance.exports) ? instance.exports : null;
}

// Instantiates the WebAssembly SIMD kernels from the bytes embedded in the
// bundle (wasmBinary.generated.ts, built by scripts/build-wasm.mjs). Synchronous
// compilation is allowed in Node and in Web Workers, which is where the engine runs.
import { decodeBase64 } from './base64';
import { WASM_KERNELS_BASE64 } from './wasmBinary.generated';

type Kernel = (...args: number[]) => void;

export interface WasmKernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  indexTargetRowsF32: Kernel;
  indexTargetRowsF64: Kernel;
  expF32: Kernel;
  expF64: Kernel;
  logF32: Kernel;
  logF64: Kernel;
}

const EXPORTS: (keyof WasmKernelExports)[] = [
  'memory',
  'heapBase',
  'indexTargetRowsF32',
  'indexTargetRowsF64',
  'expF32',
  'expF64',
  'logF32',
  'logF64',
];

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & WasmKernelExports {
  return EXPORTS.every((name) => name in exports) && exports.memory instanceof WebAssembly.Memory;
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

// Which kernel set the engine computes with: WebAssembly SIMD where the runtime
// has it, else plain TypeScript. Tests run every suite over each available set
// (useKernelSet), the way tfjs runs its suites over every backend.
import type { KernelSet, KernelSetName } from './kernelSet';
import { typescriptKernels } from './typescriptKernels';
import { wasmKernels } from './wasmKernels';
import { instantiateWasmKernels } from './wasmModule';

let wasm: KernelSet | null | undefined;
let active: KernelSet | undefined;

function wasmSet(): KernelSet | null {
  if (wasm === undefined) {
    const exports = instantiateWasmKernels();
    wasm = exports ? wasmKernels(exports, () => instantiateWasmKernels() ?? exports) : null;
  }
  return wasm;
}

/** The kernel sets this runtime can use, fastest first. */
export function availableKernelSets(): KernelSet[] {
  const fast = wasmSet();
  return fast ? [fast, typescriptKernels] : [typescriptKernels];
}

/** The kernel set in use: the fastest available unless useKernelSet chose another. */
export function kernels(): KernelSet {
  active ??= availableKernelSets()[0];
  return active;
}

export function useKernelSet(name: KernelSetName): void {
  const set = availableKernelSets().find((k) => k.name === name);
  if (!set) throw new Error(`The ${name} kernels are not available in this runtime.`);
  active = set;
}

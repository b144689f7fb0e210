// The WebAssembly SIMD kernel set: copies a call's inputs into the module's
// memory, runs the fused kernel, copies the outputs back into the caller's buffers.
// Layouts the SIMD kernels do not cover yet run on the TypeScript kernels.
import type { IndexTargetCall, KernelSet } from './kernelSet';
import { elementCount } from './layout';
import { typescriptKernels } from './typescriptKernels';
import { bytesPer, copyIn, copyOut, place } from './wasmArena';
import type { WasmKernelExports } from './wasmModule';

export function wasmKernels(wasm: WasmKernelExports): KernelSet {
  function indexTarget(k: IndexTargetCall): void {
    const L = k.layout;
    if (L.inner !== 1) return typescriptKernels.indexTarget(k);
    const { dtype } = k;
    const B = bytesPer(dtype);
    const rows = elementCount(L);
    const n = rows * L.classes;
    const [x, target, weight, nllScale, smoothScale, logProbs, probs, grad, nll, smooth] = place(wasm, [
      n * B,
      rows * 4,
      k.weight ? L.classes * B : 0,
      rows * B,
      k.smoothScale ? rows * B : 0,
      n * B,
      n * B,
      k.grad ? n * B : 0,
      rows * B,
      k.smooth ? rows * B : 0,
    ]);
    copyIn(wasm, dtype, x, k.x);
    new Int32Array(wasm.memory.buffer, target, rows).set(k.target);
    copyIn(wasm, dtype, weight, k.weight);
    copyIn(wasm, dtype, nllScale, k.nllScale);
    copyIn(wasm, dtype, smoothScale, k.smoothScale);
    let weightSum = k.weight ? 0 : L.classes;
    for (const w of k.weight ?? []) weightSum += w;
    const run = dtype === 'float32' ? wasm.indexTargetRowsF32 : wasm.indexTargetRowsF64;
    run(x, rows, L.classes, target, weight, weightSum, nllScale, smoothScale, logProbs, probs, grad, nll, smooth);
    copyOut(wasm, dtype, logProbs, k.logProbs);
    copyOut(wasm, dtype, probs, k.probs);
    copyOut(wasm, dtype, grad, k.grad);
    copyOut(wasm, dtype, nll, k.nll);
    copyOut(wasm, dtype, smooth, k.smooth);
  }
  return { name: 'wasm-simd', indexTarget, probTarget: typescriptKernels.probTarget };
}

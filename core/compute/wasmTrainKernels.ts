// The training kernels in WebAssembly SIMD (wasm/train.ts). Each arena lives in
// an instance of the kernel module of its own, whose memory is sized once:
// nothing else grows it, so the arena's views stay valid for the trainer's life
// and are freed with it. What the module does not accelerate (sigmoid, gelu,
// the optimizer updates: element-wise and small) runs in TypeScript on the same views.
import type { Dtype } from '../results';
import type { FloatArray } from './kernelSet';
import type { TrainKernels } from './trainKernels';
import { tsKernelsOn } from './typescriptTrainKernels';
import { bytesPer } from './wasmArena';
import type { WasmKernelExports } from './wasmModule';

const PAGE = 65536;

/** Kernels bound to a zeroed arena of `length` elements in `wasm`'s memory (a fresh instance). */
export function wasmTrainArena(wasm: WasmKernelExports, dtype: Dtype, length: number): TrainKernels {
  // Never at address 0, which the kernels read as "absent".
  const base = Math.max(16, Math.ceil(wasm.heapBase() / 16) * 16);
  const missing = base + length * bytesPer(dtype) - wasm.memory.buffer.byteLength;
  if (missing > 0) wasm.memory.grow(Math.ceil(missing / PAGE));
  const heap: FloatArray =
    dtype === 'float32' ? new Float32Array(wasm.memory.buffer, base, length) : new Float64Array(wasm.memory.buffer, base, length);
  const ts = tsKernelsOn(dtype, heap);
  const at = (x: FloatArray) => x.byteOffset;
  return {
    ...ts,
    matmul: (a, aRow, aCol, b, m, k, n, bias, out) =>
      wasm.call('matmul', dtype, { a: at(a), aRow, aCol, b: at(b), m, k, n, bias: bias ? at(bias) : 0, out: at(out) }),
    transpose: (a, rows, cols, out) => wasm.call('transpose', dtype, { a: at(a), rows, cols, out: at(out) }),
    columnSums: (a, rows, cols, out) => wasm.call('columnSums', dtype, { a: at(a), rows, cols, out: at(out) }),
    activation(name, z, out, n) {
      if (name === 'relu' || name === 'tanh') wasm.call(name, dtype, { z: at(z), out: at(out), n });
      else ts.activation(name, z, out, n);
    },
    activationBackward(name, grad, z, y, n) {
      if (name === 'relu' || name === 'tanh') wasm.call(`${name}Backward`, dtype, { grad: at(grad), y: at(y), n });
      else ts.activationBackward(name, grad, z, y, n);
    },
  };
}

// The training kernels in WebAssembly SIMD (wasm/train.ts). Each arena is a new
// instance of the kernel module with a memory of its own, sized once: nothing
// else grows it, so the arena's views stay valid for the trainer's life and are
// freed with it. Kernels the module does not accelerate (sigmoid, gelu, the
// optimizer updates: element-wise and small) run in TypeScript on the same views.
import type { Dtype } from '../results';
import type { ActivationName } from './activations';
import type { FloatArray, TrainKernels, TrainKernelSet } from './trainKernels';
import { tsKernelsOn } from './tsTrainKernels';

type Kernel = (...args: number[]) => void;

const KERNELS = ['matmul', 'transpose', 'columnSums', 'relu', 'reluBackward', 'tanh', 'tanhBackward'] as const;
type KernelName = (typeof KERNELS)[number];

interface TrainExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

const PAGE = 65536;

function exportsOf(instance: WebAssembly.Instance): TrainExports & Record<string, unknown> {
  const e = instance.exports;
  if (!(e.memory instanceof WebAssembly.Memory) || typeof e.heapBase !== 'function') throw new Error('The WebAssembly kernel module lacks its memory or heapBase export.');
  return e as TrainExports & Record<string, unknown>;
}

/** The dtype's variant of each kernel (matmulF32, matmulF64, …). */
function kernelsOf(e: Record<string, unknown>, dtype: Dtype): Record<KernelName, Kernel> {
  const suffix = dtype === 'float32' ? 'F32' : 'F64';
  const out = {} as Record<KernelName, Kernel>;
  for (const name of KERNELS) {
    const f = e[name + suffix];
    if (typeof f !== 'function') throw new Error(`The WebAssembly kernel module lacks ${name + suffix}.`);
    out[name] = f as Kernel;
  }
  return out;
}

const SIMD_ACTIVATIONS: readonly ActivationName[] = ['relu', 'tanh'];

export function wasmTrainKernelSet(module: WebAssembly.Module): TrainKernelSet {
  return {
    name: 'wasm-simd',
    arena(dtype, length): TrainKernels {
      const e = exportsOf(new WebAssembly.Instance(module, {}));
      const k = kernelsOf(e, dtype);
      const bytes = dtype === 'float32' ? 4 : 8;
      // Never at address 0, which the kernels read as "absent".
      const base = Math.max(16, Math.ceil(e.heapBase() / 16) * 16);
      const missing = base + length * bytes - e.memory.buffer.byteLength;
      if (missing > 0) e.memory.grow(Math.ceil(missing / PAGE));
      const heap: FloatArray = dtype === 'float32' ? new Float32Array(e.memory.buffer, base, length) : new Float64Array(e.memory.buffer, base, length);
      const ts = tsKernelsOn(dtype, heap);
      const at = (x: FloatArray) => x.byteOffset;
      return {
        ...ts,
        matmul: (a, aRow, aCol, b, m, kk, n, bias, out) => k.matmul(at(a), aRow, aCol, at(b), m, kk, n, bias ? at(bias) : 0, at(out)),
        transpose: (a, rows, cols, out) => k.transpose(at(a), rows, cols, at(out)),
        columnSums: (a, rows, cols, out) => k.columnSums(at(a), rows, cols, at(out)),
        activation(name, z, out, n) {
          if (!SIMD_ACTIVATIONS.includes(name)) return ts.activation(name, z, out, n);
          (name === 'relu' ? k.relu : k.tanh)(at(z), at(out), n);
        },
        activationBackward(name, grad, z, y, n) {
          if (!SIMD_ACTIVATIONS.includes(name)) return ts.activationBackward(name, grad, z, y, n);
          (name === 'relu' ? k.reluBackward : k.tanhBackward)(at(grad), at(y), n);
        },
      };
    },
  };
}

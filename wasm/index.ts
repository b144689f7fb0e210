// The WebAssembly SIMD kernel set's exports (compiled by scripts/build-wasm.mjs),
// one per kernel and dtype. Callers lay their buffers out in this module's
// memory from heapBase() on; pointers are byte offsets, 0 meaning "absent".
import { vexp } from './exp';
import { loss } from './loss';
import { logT } from './vec';
import { columnSums, matmul, relu, reluBackward, tanh, tanhBackward, transpose } from './train';

/** First free byte after the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

// Cross-entropy forward + backward over a parameter block (wasm/loss.ts).
export function lossF32(params: usize): void {
  loss<f32>(params);
}

export function lossF64(params: usize): void {
  loss<f64>(params);
}

// exp and log of n values (n a multiple of the lane count), for the accuracy tests.
export function expF32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), vexp<f32>(v128.load(x + (<usize>i << 2))));
}

export function expF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(out + (<usize>i << 3), vexp<f64>(v128.load(x + (<usize>i << 3))));
}

export function logF32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), logT<f32>(load<f32>(x + (<usize>i << 2))));
}

export function logF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), logT<f64>(load<f64>(x + (<usize>i << 3))));
}

// Training kernels (wasm/train.ts), one per dtype.
export function matmulF32(a: usize, aRow: i32, aCol: i32, b: usize, m: i32, k: i32, n: i32, bias: usize, out: usize): void {
  matmul<f32>(a, aRow, aCol, b, m, k, n, bias, out);
}
export function matmulF64(a: usize, aRow: i32, aCol: i32, b: usize, m: i32, k: i32, n: i32, bias: usize, out: usize): void {
  matmul<f64>(a, aRow, aCol, b, m, k, n, bias, out);
}
export function transposeF32(a: usize, rows: i32, cols: i32, out: usize): void {
  transpose<f32>(a, rows, cols, out);
}
export function transposeF64(a: usize, rows: i32, cols: i32, out: usize): void {
  transpose<f64>(a, rows, cols, out);
}
export function columnSumsF32(a: usize, rows: i32, cols: i32, out: usize): void {
  columnSums<f32>(a, rows, cols, out);
}
export function columnSumsF64(a: usize, rows: i32, cols: i32, out: usize): void {
  columnSums<f64>(a, rows, cols, out);
}
export function reluF32(z: usize, out: usize, n: i32): void {
  relu<f32>(z, out, n);
}
export function reluF64(z: usize, out: usize, n: i32): void {
  relu<f64>(z, out, n);
}
export function reluBackwardF32(grad: usize, y: usize, n: i32): void {
  reluBackward<f32>(grad, y, n);
}
export function reluBackwardF64(grad: usize, y: usize, n: i32): void {
  reluBackward<f64>(grad, y, n);
}
export function tanhF32(z: usize, out: usize, n: i32): void {
  tanh<f32>(z, out, n);
}
export function tanhF64(z: usize, out: usize, n: i32): void {
  tanh<f64>(z, out, n);
}
export function tanhBackwardF32(grad: usize, y: usize, n: i32): void {
  tanhBackward<f32>(grad, y, n);
}
export function tanhBackwardF64(grad: usize, y: usize, n: i32): void {
  tanhBackward<f64>(grad, y, n);
}

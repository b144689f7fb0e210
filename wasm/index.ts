// The WebAssembly SIMD kernel set's exports (compiled by scripts/build-wasm.mjs).
// Callers lay their buffers out in this module's memory from heapBase() on,
// write a call into the parameter block at params() — the kernel's number (its
// place in core/compute/wasmModule.ts's KERNELS), 1 for float32 or 0 for
// float64, then its arguments (byte offsets, 0 meaning "absent"; sizes; scalars),
// one f64 each — and call run(). One entry point, generic over the dtype.
import { vexp, vexpNonPositive } from './exp';
import { vlogOfSum } from './log';
import { loss } from './loss';
import { classIndices } from './targets';
import { columnSums, matmul, relu, reluBackward, tanh, tanhBackward, transpose } from './train';
import { lanes, logT } from './vec';

const PARAMS: usize = memory.data(32 * 8, 16);

/** First free byte after the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

export function params(): usize {
  return PARAMS;
}

export function run(): void {
  if (load<f64>(PARAMS + 8) != 0) dispatch<f32>(PARAMS + 16);
  else dispatch<f64>(PARAMS + 16);
}

// @ts-ignore: decorator
@inline function arg(args: usize, i: i32): usize {
  return <usize>load<f64>(args + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function int(args: usize, i: i32): i32 {
  return <i32>load<f64>(args + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function num(args: usize, i: i32): f64 {
  return load<f64>(args + (<usize>i << 3));
}

/** exp (or, `nonPositive`, the loss kernel's exp of values ≤ 0) of n values (n a multiple of the lanes), for the accuracy tests. */
function expAll<T>(x: usize, out: usize, n: i32, nonPositive: bool): void {
  const B = <usize>sizeof<T>();
  for (let i = 0; i < n; i += lanes<T>()) {
    const v = v128.load(x + <usize>i * B);
    v128.store(out + <usize>i * B, nonPositive ? vexpNonPositive<T>(v) : vexp<T>(v));
  }
}

/** log of n values (the loss kernel's scalar log), for the accuracy tests. */
function logAll<T>(x: usize, out: usize, n: i32): void {
  const B = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) store<T>(out + <usize>i * B, logT<T>(load<T>(x + <usize>i * B)));
}

/** The loss kernel's vector log of sums (values ≥ 1) of n values (n a multiple of the lanes), for the accuracy tests. */
function logOfSumAll<T>(x: usize, out: usize, n: i32): void {
  const B = <usize>sizeof<T>();
  for (let i = 0; i < n; i += lanes<T>()) v128.store(out + <usize>i * B, vlogOfSum<T>(v128.load(x + <usize>i * B)));
}

function dispatch<T>(a: usize): void {
  switch (<i32>load<f64>(PARAMS)) {
    case 0: loss<T>(a); break;
    case 1: expAll<T>(arg(a, 0), arg(a, 1), int(a, 2), false); break;
    case 2: logAll<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 3: matmul<T>(arg(a, 0), int(a, 1), int(a, 2), arg(a, 3), int(a, 4), int(a, 5), int(a, 6), arg(a, 7), arg(a, 8)); break;
    case 4: transpose<T>(arg(a, 0), int(a, 1), int(a, 2), arg(a, 3)); break;
    case 5: columnSums<T>(arg(a, 0), int(a, 1), int(a, 2), arg(a, 3)); break;
    case 6: relu<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 7: reluBackward<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 8: tanh<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 9: tanhBackward<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 10: expAll<T>(arg(a, 0), arg(a, 1), int(a, 2), true); break;
    case 11: logOfSumAll<T>(arg(a, 0), arg(a, 1), int(a, 2)); break;
    case 12: classIndices(arg(a, 0), int(a, 1), int(a, 2), num(a, 3), arg(a, 4), arg(a, 5)); break;
  }
}

// The WebAssembly SIMD kernel set's exports (compiled by scripts/build-wasm.mjs).
// Callers lay their buffers out in this module's memory from heapBase() on,
// write a call into the parameter block at params() — the kernel's number, 1
// for float32 or 0 for float64, then its arguments (byte offsets, 0 meaning
// "absent"; sizes; scalars), one f64 each, as core/compute/wasmCalls.ts lists
// them — and call run(). One entry point, generic over the dtype.
import {
  KERNEL_CLASS_INDICES, KERNEL_COLUMN_SUMS, KERNEL_EXP, KERNEL_EXP_NON_POSITIVE, KERNEL_LOG, KERNEL_LOG_OF_SUM, KERNEL_LOSS,
  KERNEL_MATMUL, KERNEL_RELU, KERNEL_RELU_BACKWARD, KERNEL_TANH, KERNEL_TANH_BACKWARD, KERNEL_TRANSPOSE, PARAMS_LENGTH,
  classIndicesClasses, classIndicesIgnoreIndex, classIndicesN, classIndicesOut, classIndicesResult, classIndicesValues,
  columnSumsA, columnSumsCols, columnSumsOut, columnSumsRows, expN, expNonPositiveN, expNonPositiveOut, expNonPositiveX, expOut,
  expX, logN, logOfSumN, logOfSumOut, logOfSumX, logOut, logX, matmulA, matmulACol, matmulARow, matmulB, matmulBias, matmulK,
  matmulM, matmulN, matmulOut, reluBackwardGrad, reluBackwardN, reluBackwardY, reluN, reluOut, reluZ, tanhBackwardGrad,
  tanhBackwardN, tanhBackwardY, tanhN, tanhOut, tanhZ, transposeA, transposeCols, transposeOut, transposeRows,
} from './calls.generated';
import { vexp, vexpNonPositive } from './exp';
import { vlogOfSum } from './log';
import { loss } from './loss';
import { classIndices } from './targets';
import { columnSums, matmul, relu, reluBackward, tanh, tanhBackward, transpose } from './train';
import { lanes, logT } from './vec';

const PARAMS: usize = memory.data(PARAMS_LENGTH * 8, 16);

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
    case KERNEL_LOSS: loss<T>(a); break;
    case KERNEL_EXP: expAll<T>(expX(a), expOut(a), expN(a), false); break;
    case KERNEL_LOG: logAll<T>(logX(a), logOut(a), logN(a)); break;
    case KERNEL_MATMUL:
      matmul<T>(matmulA(a), matmulARow(a), matmulACol(a), matmulB(a), matmulM(a), matmulK(a), matmulN(a), matmulBias(a), matmulOut(a));
      break;
    case KERNEL_TRANSPOSE: transpose<T>(transposeA(a), transposeRows(a), transposeCols(a), transposeOut(a)); break;
    case KERNEL_COLUMN_SUMS: columnSums<T>(columnSumsA(a), columnSumsRows(a), columnSumsCols(a), columnSumsOut(a)); break;
    case KERNEL_RELU: relu<T>(reluZ(a), reluOut(a), reluN(a)); break;
    case KERNEL_RELU_BACKWARD: reluBackward<T>(reluBackwardGrad(a), reluBackwardY(a), reluBackwardN(a)); break;
    case KERNEL_TANH: tanh<T>(tanhZ(a), tanhOut(a), tanhN(a)); break;
    case KERNEL_TANH_BACKWARD: tanhBackward<T>(tanhBackwardGrad(a), tanhBackwardY(a), tanhBackwardN(a)); break;
    case KERNEL_EXP_NON_POSITIVE: expAll<T>(expNonPositiveX(a), expNonPositiveOut(a), expNonPositiveN(a), true); break;
    case KERNEL_LOG_OF_SUM: logOfSumAll<T>(logOfSumX(a), logOfSumOut(a), logOfSumN(a)); break;
    case KERNEL_CLASS_INDICES:
      classIndices(
        classIndicesValues(a), classIndicesN(a), classIndicesClasses(a), classIndicesIgnoreIndex(a), classIndicesOut(a), classIndicesResult(a),
      );
      break;
  }
}

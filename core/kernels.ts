// The training kernels over flat Float64Arrays (the loss kernels live in compute/).
import type { Round } from './dtype';

/**
 * C = op(A)·op(B) for row-major matrices, where op transposes when asked.
 * A is m×k after op, B is k×n after op. Accumulates in float64, rounds once.
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  round: Round,
): Float64Array {
  const out = new Float64Array(m * n);
  // Strides of op(A)[i][p] and op(B)[p][j] in the stored arrays.
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  // Copy a column of op(B) once, then take contiguous-ish dot products with the rows of op(A).
  const column = new Float64Array(k);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) column[p] = b[p * bRow + j * bCol];
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = 0, ai = i * aRow; p < k; p++, ai += aCol) s += a[ai] * column[p];
      out[i * n + j] = round(s);
    }
  }
  return out;
}

// Training kernels in T (f32 or f64) on pointers into this module's memory:
// the contract and the reference are core/nn/trainKernels.ts and
// core/nn/tsTrainKernels.ts. Outputs are vectorised over their columns, so each
// element is still summed in order, one rounding per op, exactly as there.
import { vexp } from './exp';
import { lanes } from './vec';

// @ts-ignore: decorator
@inline function at<T>(base: usize, index: i32): usize {
  return base + (<usize>index) * sizeof<T>();
}

// @ts-ignore: decorator
@inline function splatAt<T>(p: usize): v128 {
  return v128.splat<T>(load<T>(p));
}

/** Columns j0..n of one row i of out = A·B (vectors, then scalars). */
// @ts-ignore: decorator
@inline function matmulRow<T>(a: usize, aCol: i32, b: usize, k: i32, n: i32, j0: i32, out: usize): void {
  const L = lanes<T>();
  const stepA = (<usize>aCol) * sizeof<T>();
  let j = j0;
  for (; j + L <= n; j += L) {
    let c = v128.splat<T>(0);
    let pa = a;
    let pb = at<T>(b, j);
    for (let p = 0; p < k; p++) {
      c = v128.add<T>(c, v128.mul<T>(splatAt<T>(pa), v128.load(pb)));
      pa += stepA;
      pb = at<T>(pb, n);
    }
    v128.store(at<T>(out, j), c);
  }
  for (; j < n; j++) {
    let c: T = 0;
    let pa = a;
    for (let p = 0; p < k; p++) {
      c += load<T>(pa) * load<T>(at<T>(b, p * n + j));
      pa += stepA;
    }
    store<T>(at<T>(out, j), c);
  }
}

/**
 * out (m×n) = A·B (+ bias), A(i, p) at a[i·aRow + p·aCol], B row-major k×n.
 * Blocks of 4 rows × 2 vectors keep 8 accumulators in registers.
 */
export function matmul<T>(a: usize, aRow: i32, aCol: i32, b: usize, m: i32, k: i32, n: i32, bias: usize, out: usize): void {
  const L = lanes<T>();
  const W = 2 * L;
  const stepA = (<usize>aCol) * sizeof<T>();
  const rowA = (<usize>aRow) * sizeof<T>();
  const stepB = (<usize>n) * sizeof<T>();
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = at<T>(a, i * aRow);
    const o0 = at<T>(out, i * n);
    let j = 0;
    for (; j + W <= n; j += W) {
      let c00 = v128.splat<T>(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      let pa = a0;
      let pb = at<T>(b, j);
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = splatAt<T>(pa);
        c00 = v128.add<T>(c00, v128.mul<T>(s, b0));
        c01 = v128.add<T>(c01, v128.mul<T>(s, b1));
        s = splatAt<T>(pa + rowA);
        c10 = v128.add<T>(c10, v128.mul<T>(s, b0));
        c11 = v128.add<T>(c11, v128.mul<T>(s, b1));
        s = splatAt<T>(pa + 2 * rowA);
        c20 = v128.add<T>(c20, v128.mul<T>(s, b0));
        c21 = v128.add<T>(c21, v128.mul<T>(s, b1));
        s = splatAt<T>(pa + 3 * rowA);
        c30 = v128.add<T>(c30, v128.mul<T>(s, b0));
        c31 = v128.add<T>(c31, v128.mul<T>(s, b1));
        pa += stepA;
        pb += stepB;
      }
      const o = at<T>(o0, j);
      v128.store(o, c00);
      v128.store(o, c01, 16);
      v128.store(o + stepB, c10);
      v128.store(o + stepB, c11, 16);
      v128.store(o + 2 * stepB, c20);
      v128.store(o + 2 * stepB, c21, 16);
      v128.store(o + 3 * stepB, c30);
      v128.store(o + 3 * stepB, c31, 16);
    }
    // Fewer than two vectors of columns left: four scalar accumulators per column.
    for (; j < n; j++) {
      let c0: T = 0, c1: T = 0, c2: T = 0, c3: T = 0;
      let pa = a0;
      let pb = at<T>(b, j);
      for (let p = 0; p < k; p++) {
        const v = load<T>(pb);
        c0 += load<T>(pa) * v;
        c1 += load<T>(pa + rowA) * v;
        c2 += load<T>(pa + 2 * rowA) * v;
        c3 += load<T>(pa + 3 * rowA) * v;
        pa += stepA;
        pb += stepB;
      }
      const o = at<T>(o0, j);
      store<T>(o, c0);
      store<T>(o + stepB, c1);
      store<T>(o + 2 * stepB, c2);
      store<T>(o + 3 * stepB, c3);
    }
  }
  for (; i < m; i++) matmulRow<T>(at<T>(a, i * aRow), aCol, b, k, n, 0, at<T>(out, i * n));
  if (bias) for (let r = 0; r < m; r++) addRow<T>(at<T>(out, r * n), bias, n);
}

/** row[j] += v[j]. */
// @ts-ignore: decorator
@inline function addRow<T>(row: usize, v: usize, n: i32): void {
  const L = lanes<T>();
  let j = 0;
  for (; j + L <= n; j += L) v128.store(at<T>(row, j), v128.add<T>(v128.load(at<T>(row, j)), v128.load(at<T>(v, j))));
  for (; j < n; j++) store<T>(at<T>(row, j), load<T>(at<T>(row, j)) + load<T>(at<T>(v, j)));
}

export function transpose<T>(a: usize, rows: i32, cols: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<T>(at<T>(out, j * rows + i), load<T>(at<T>(a, i * cols + j)));
  }
}

/** out[j] = Σ_i a[i·cols + j], in order of i. */
export function columnSums<T>(a: usize, rows: i32, cols: i32, out: usize): void {
  const zero = v128.splat<T>(0);
  const L = lanes<T>();
  let j = 0;
  for (; j + L <= cols; j += L) v128.store(at<T>(out, j), zero);
  for (; j < cols; j++) store<T>(at<T>(out, j), 0);
  for (let i = 0; i < rows; i++) addRow<T>(out, at<T>(a, i * cols), cols);
}

export function relu<T>(z: usize, out: usize, n: i32): void {
  // wasm's max keeps NaN and gives +0 for max(−0, 0), as clamp_min(0) does.
  const zero = v128.splat<T>(0);
  const L = lanes<T>();
  let i = 0;
  for (; i + L <= n; i += L) v128.store(at<T>(out, i), v128.max<T>(v128.load(at<T>(z, i)), zero));
  for (; i < n; i++) store<T>(at<T>(out, i), max<T>(load<T>(at<T>(z, i)), 0));
}

export function reluBackward<T>(grad: usize, y: usize, n: i32): void {
  const zero = v128.splat<T>(0);
  const L = lanes<T>();
  let i = 0;
  for (; i + L <= n; i += L) {
    const g = at<T>(grad, i);
    v128.store(g, v128.and(v128.load(g), v128.gt<T>(v128.load(at<T>(y, i)), zero)));
  }
  for (; i < n; i++) if (!(load<T>(at<T>(y, i)) > 0)) store<T>(at<T>(grad, i), 0);
}

/**
 * tanh of two f64 lanes: (1 − u)/(1 + u) with u = e^(−2|x|), the sign put back;
 * below 2^−10, where 1 − u would cancel, x − x³/3 + 2x⁵/15.
 */
// @ts-ignore: decorator
@inline function tanhF64x2(x: v128): v128 {
  const sign = v128.and(x, f64x2.splat(-0.0));
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1);
  const u = vexp<f64>(f64x2.mul(ax, f64x2.splat(-2)));
  const t = v128.or(f64x2.div(f64x2.sub(one, u), f64x2.add(one, u)), sign);
  const x2 = f64x2.mul(x, x);
  const series = f64x2.add(x, f64x2.mul(f64x2.mul(x, x2), f64x2.add(f64x2.splat(-1.0 / 3.0), f64x2.mul(x2, f64x2.splat(2.0 / 15.0)))));
  return v128.bitselect(series, t, f64x2.lt(ax, f64x2.splat(0.0009765625)));
}

/**
 * tanh of four f32 lanes (Cephes tanhf): below 0.625 an odd minimax polynomial,
 * above it 1 − 2/(e^(2|x|) + 1) with the sign put back; NaN stays NaN, ±inf gives ±1.
 */
// @ts-ignore: decorator
@inline function tanhF32x4(x: v128): v128 {
  const sign = v128.and(x, f32x4.splat(-0.0));
  const ax = f32x4.abs(x);
  const one = f32x4.splat(1);
  const e = vexp<f32>(f32x4.add(ax, ax));
  const large = v128.or(f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one))), sign);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
}

// @ts-ignore: decorator
@inline function vtanh<T>(x: v128): v128 {
  if (sizeof<T>() == 4) return tanhF32x4(x);
  return tanhF64x2(x);
}

export function tanh<T>(z: usize, out: usize, n: i32): void {
  const L = lanes<T>();
  let i = 0;
  for (; i + L <= n; i += L) v128.store(at<T>(out, i), vtanh<T>(v128.load(at<T>(z, i))));
  for (; i < n; i++) store<T>(at<T>(out, i), v128.extract_lane<T>(vtanh<T>(v128.splat<T>(load<T>(at<T>(z, i)))), 0));
}

/** grad ← grad·(1 − y²), the 1 − y² fused (exact in f64 for f32 operands, then rounded once). */
export function tanhBackward<T>(grad: usize, y: usize, n: i32): void {
  const L = lanes<T>();
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + L <= n; i += L) {
    const yv = v128.load(at<T>(y, i));
    const g = at<T>(grad, i);
    if (sizeof<T>() == 4) {
      const lo = f64x2.promote_low_f32x4(yv);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 0, 1));
      const l32 = f32x4.demote_f64x2_zero(f64x2.sub(one, f64x2.mul(lo, lo)));
      const h32 = f32x4.demote_f64x2_zero(f64x2.sub(one, f64x2.mul(hi, hi)));
      v128.store(g, f32x4.mul(v128.load(g), i32x4.shuffle(l32, h32, 0, 1, 4, 5)));
    } else {
      v128.store(g, f64x2.mul(v128.load(g), f64x2.sub(one, f64x2.mul(yv, yv))));
    }
  }
  for (; i < n; i++) {
    const v = <f64>load<T>(at<T>(y, i));
    store<T>(at<T>(grad, i), load<T>(at<T>(grad, i)) * <T>(1 - v * v));
  }
}

// exp(x) on a whole v128 of T, by range reduction x = k·ln2 + r (|r| ≤ ln2/2)
// and a polynomial for exp(r). 2^k is applied in two halves so results in the
// subnormal range are rounded once and overflow gives +inf. NaN stays NaN,
// -inf gives 0, +inf gives +inf. Worst-case error: test/core/wasmMath.test.ts.

// @ts-ignore: decorator
@inline function expF32x4(x: v128): v128 {
  // Beyond these bounds exp(x) is 0 or +inf in float32 anyway; min/max keep NaN.
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(89.0)), f32x4.splat(-104.0));
  const k = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  // Cody–Waite: ln2 = hi + lo with hi's low bits zero, so k·hi is exact.
  let r = f32x4.sub(xc, f32x4.mul(k, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  // Cephes expf minimax polynomial: exp(r) ≈ 1 + r + r²·P(r).
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const ki = i32x4.trunc_sat_f32x4_s(k); // NaN → 0; p is NaN then anyway
  const k1 = i32x4.shr_s(ki, 1);
  const k2 = i32x4.sub(ki, k1);
  const s1 = i32x4.shl(i32x4.add(k1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

// @ts-ignore: decorator
@inline function expF64x2(x: v128): v128 {
  const xc = f64x2.max(f64x2.min(x, f64x2.splat(710.0)), f64x2.splat(-746.0));
  const k = f64x2.nearest(f64x2.mul(xc, f64x2.splat(1.4426950408889634)));
  // fdlibm's split of ln2: hi has 32 trailing zero bits.
  let r = f64x2.sub(xc, f64x2.mul(k, f64x2.splat(6.93147180369123816490e-1)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(1.90821492927058770002e-10)));
  // Taylor series to r^12: truncation error < 2e-16 for |r| ≤ ln2/2.
  let p = f64x2.splat(1.0 / 479001600.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.add(f64x2.mul(f64x2.mul(p, r), r), r), f64x2.splat(1.0));
  // k as an integer: adding 1.5·2^52 puts it in the low mantissa bits.
  const magic = f64x2.splat(6755399441055744.0);
  const ki = i64x2.sub(f64x2.add(k, magic), magic);
  const k1 = i64x2.shr_s(ki, 1);
  const k2 = i64x2.sub(ki, k1);
  const s1 = i64x2.shl(i64x2.add(k1, i64x2.splat(1023)), 52);
  const s2 = i64x2.shl(i64x2.add(k2, i64x2.splat(1023)), 52);
  return f64x2.mul(f64x2.mul(p, s1), s2);
}

/** exp of every lane of v, whose lanes are T. */
// @ts-ignore: decorator
@inline export function vexp<T>(v: v128): v128 {
  if (sizeof<T>() == 4) return expF32x4(v);
  return expF64x2(v);
}

/** exp of one T, with the same polynomial (for row tails). */
// @ts-ignore: decorator
@inline export function sexp<T>(x: T): T {
  return v128.extract_lane<T>(vexp<T>(v128.splat<T>(x)), 0);
}

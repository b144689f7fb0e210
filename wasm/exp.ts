// exp(x) on a whole v128 of T, by range reduction x = k·ln2 + r (|r| ≤ ln2/2)
// and a polynomial for exp(r). 2^k is applied in two halves so results in the
// subnormal range are rounded once and overflow gives +inf. NaN stays NaN,
// -inf gives 0, +inf gives +inf. Worst-case error: test/core/wasmMath.test.ts.

// vexpNonPositive is the same for x ≤ 0 (what softmax takes), a few operations
// shorter: no upper clamp, 2^k in one step, and results below T's smallest
// normal number flushed to 0 (a difference of less than 1.2e-38 in float32).

// Constants, one v128 each, in this order: MAX, MIN (beyond them exp is +inf or
// 0 in T), LOG2E, ROUND, LN2HI, LN2LO, ONE, MIN_NORMAL (exp is below T's
// smallest normal number beyond it), ROUND1, then P's coefficients a_0, a_1, …
// (exp(r) ≈ 1 + r + r²·P(r), P(r) = Σ a_i·r^i). They are loaded from memory:
// V8 rebuilds a v128.const on every loop iteration (several instructions), a load is one.
const F32: usize = memory.data<f32>([
  89.0, 89.0, 89.0, 89.0,
  -104.0, -104.0, -104.0, -104.0,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  12583166.0, 12583166.0, 12583166.0, 12583166.0, // 1.5·2^23 + 2·127
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // Cody–Waite: ln2 = hi + lo, hi's low bits zero
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,
  1.0, 1.0, 1.0, 1.0,
  -87.3365402, -87.3365402, -87.3365402, -87.3365402, // ln(2^-126), rounded up to a float32
  12583039.0, 12583039.0, 12583039.0, 12583039.0, // 1.5·2^23 + 127
  // A near-minimax fit of (exp(r) − 1 − r)/r² on |r| ≤ ln2/2 (scripts/exp-polynomials.py, degree 4: exp(r) then within 0.87 ulp).
  0.5, 0.5, 0.5, 0.5,
  0.16666577756404877, 0.16666577756404877, 0.16666577756404877, 0.16666577756404877,
  0.041666556149721146, 0.041666556149721146, 0.041666556149721146, 0.041666556149721146,
  0.008363173343241215, 0.008363173343241215, 0.008363173343241215, 0.008363173343241215,
  0.0013926175888627768, 0.0013926175888627768, 0.0013926175888627768, 0.0013926175888627768,
], 16);
const F64: usize = memory.data<f64>([
  710.0, 710.0,
  -746.0, -746.0,
  1.4426950408889634, 1.4426950408889634,
  6755399441057790.0, 6755399441057790.0, // 1.5·2^52 + 2·1023
  6.93147180369123816490e-1, 6.93147180369123816490e-1, // fdlibm's split: hi has 32 trailing zero bits
  1.90821492927058770002e-10, 1.90821492927058770002e-10,
  1.0, 1.0,
  -708.3964185322641, -708.3964185322641, // ln(2^-1022), rounded up
  6755399441056767.0, 6755399441056767.0, // 1.5·2^52 + 1023
  // A near-minimax fit of (exp(r) − 1 − r)/r² on |r| ≤ ln2/2 (scripts/exp-polynomials.py, degree 9: error < 1.1e-16 there).
  0.5000000000000001, 0.5000000000000001,
  0.16666666666666669, 0.16666666666666669,
  0.041666666666624164, 0.041666666666624164,
  0.008333333333330065, 0.008333333333330065,
  0.0013888888917196719, 0.0013888888917196719,
  0.00019841269863040545, 0.00019841269863040545,
  2.4801521322368692e-05, 2.4801521322368692e-05,
  2.7557268480310024e-06, 2.7557268480310024e-06,
  2.7620075879983367e-07, 2.7620075879983367e-07,
  2.5100375832561234e-08, 2.5100375832561234e-08,
], 16);

// @ts-ignore: decorator
@inline function c<T>(index: i32): v128 {
  return v128.load((sizeof<T>() == 4 ? F32 : F64) + (<usize>index << 4));
}

/** Where P's coefficients start among the constants. */
const A0 = 9;

/** a_i + a_{i+1}·r: a pair of Estrin's scheme. */
// @ts-ignore: decorator
@inline function pair<T>(i: i32, r: v128): v128 {
  return v128.add<T>(c<T>(A0 + i), v128.mul<T>(c<T>(A0 + 1 + i), r));
}

/** P(r) by Estrin's scheme (short dependency chains: the loops around exp are latency-bound). */
// @ts-ignore: decorator
@inline function poly<T>(r: v128, r2: v128): v128 {
  const r4 = v128.mul<T>(r2, r2);
  const low = v128.add<T>(pair<T>(0, r), v128.mul<T>(pair<T>(2, r), r2));
  if (sizeof<T>() == 4) return v128.add<T>(low, v128.mul<T>(c<T>(A0 + 4), r4)); // degree 4
  const mid = v128.add<T>(pair<T>(4, r), v128.mul<T>(pair<T>(6, r), r2));
  return v128.add<T>(v128.add<T>(low, v128.mul<T>(mid, r4)), v128.mul<T>(pair<T>(8, r), v128.mul<T>(r4, r4))); // degree 9
}

/** 2^e as T bits, for an integer e + bias held in the low bits of `biased` (the bits above shift out). */
// @ts-ignore: decorator
@inline function pow2<T>(biased: v128): v128 {
  return sizeof<T>() == 4 ? i32x4.shl(biased, 23) : i64x2.shl(biased, 52);
}

/** 2^k as two factors 2^⌊k/2⌋ and 2^⌈k/2⌉, so a subnormal result is rounded once and an overflow gives +inf. */
// @ts-ignore: decorator
@inline function scale<T>(p: v128, km: v128): v128 {
  // km/2 and km − km/2 hold ⌊k/2⌋ + bias and ⌈k/2⌉ + bias in their low bits.
  if (sizeof<T>() == 4) {
    const k1 = i32x4.shr_u(km, 1);
    return f32x4.mul(f32x4.mul(p, pow2<T>(k1)), pow2<T>(i32x4.sub(km, k1)));
  }
  const k1 = i64x2.shr_u(km, 1);
  return f64x2.mul(f64x2.mul(p, pow2<T>(k1)), pow2<T>(i64x2.sub(km, k1)));
}

/** exp of every lane of v, whose lanes are T. */
// @ts-ignore: decorator
@inline export function vexp<T>(x: v128): v128 {
  // pmin/pmax are plain minps/maxps (wasm's min/max are long sequences on x86); with x first they keep a NaN.
  const xc = v128.pmax<T>(v128.pmin<T>(x, c<T>(0)), c<T>(1));
  // Adding ROUND rounds to the nearest integer k (ties to even) and leaves k + 2·bias in km's low bits.
  const km = v128.add<T>(v128.mul<T>(xc, c<T>(2)), c<T>(3));
  const k = v128.sub<T>(km, c<T>(3));
  const r = v128.sub<T>(v128.sub<T>(xc, v128.mul<T>(k, c<T>(4))), v128.mul<T>(k, c<T>(5)));
  const r2 = v128.mul<T>(r, r);
  const p = v128.add<T>(v128.add<T>(v128.mul<T>(r2, poly<T>(r, r2)), r), c<T>(6));
  return scale<T>(p, km);
}

/** a_i + p·r: a step of Horner's rule. */
// @ts-ignore: decorator
@inline function horner<T>(p: v128, r: v128, i: i32): v128 {
  return v128.add<T>(c<T>(A0 + i), v128.mul<T>(p, r));
}

/** P(r) by Horner's rule: fewer operations than Estrin's scheme, for loops that overlap several exps. */
// @ts-ignore: decorator
@inline function polyHorner<T>(r: v128): v128 {
  const p =
    sizeof<T>() == 4
      ? c<T>(A0 + 4)
      : horner<T>(horner<T>(horner<T>(horner<T>(horner<T>(c<T>(A0 + 9), r, 8), r, 7), r, 6), r, 5), r, 4);
  return horner<T>(horner<T>(horner<T>(horner<T>(p, r, 3), r, 2), r, 1), r, 0);
}

/** exp of every lane of v (lanes of T, each ≤ 0 or NaN); 0 where the result would be below T's smallest normal number. */
// @ts-ignore: decorator
@inline export function vexpNonPositive<T>(x: v128): v128 {
  const subnormal = v128.lt<T>(x, c<T>(7));
  const xc = v128.pmax<T>(x, c<T>(7));
  const km = v128.add<T>(v128.mul<T>(xc, c<T>(2)), c<T>(8));
  const k = v128.sub<T>(km, c<T>(8));
  const r = v128.sub<T>(v128.sub<T>(xc, v128.mul<T>(k, c<T>(4))), v128.mul<T>(k, c<T>(5)));
  const p = v128.add<T>(v128.add<T>(v128.mul<T>(v128.mul<T>(r, r), polyHorner<T>(r)), r), c<T>(6));
  return v128.andnot(v128.mul<T>(p, pow2<T>(km)), subnormal);
}

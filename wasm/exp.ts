// exp(x) on a whole v128 of T, by range reduction x = k·ln2 + r (|r| ≤ ln2/2)
// and a polynomial for exp(r). 2^k is applied in two halves so results in the
// subnormal range are rounded once and overflow gives +inf. NaN stays NaN,
// -inf gives 0, +inf gives +inf. Worst-case error: test/core/wasmMath.test.ts.

import { constantOf } from './vec';

// vexpNonPositive is the same for x ≤ 0 (what softmax takes), a few operations
// shorter: 2^k in one step, and results below T's smallest normal number flushed
// to 0 (a difference of less than 1.2e-38 in float32). It clamps nothing: lanes
// past the flush threshold (−inf included) compute garbage that the flush's
// mask replaces by 0.

// Constants, one scalar each (splatted to a v128 as loaded), in this order: MAX,
// MIN (beyond them exp is +inf or 0 in T), LOG2E, ROUND, LN2HI, LN2LO, ONE,
// MIN_NORMAL (exp is below T's smallest normal number beyond it), ROUND1, then
// P's coefficients a_0, a_1, … (exp(r) ≈ 1 + r + r²·P(r), P(r) = Σ a_i·r^i).
const F32: usize = memory.data<f32>([
  89.0, -104.0, 1.44269504088896341,
  12583166.0, // ROUND: 1.5·2^23 + 2·127
  0.693359375, -2.12194440e-4, // Cody–Waite: ln2 = hi + lo, hi's low bits zero
  1.0, -87.3365402, // MIN_NORMAL: ln(2^-126), rounded up to a float32
  12583039.0, // ROUND1: 1.5·2^23 + 127
  // A near-minimax fit of (exp(r) − 1 − r)/r² on |r| ≤ ln2/2 (scripts/exp-polynomials.py, degree 4: exp(r) then within 0.87 ulp).
  0.5, 0.16666577756404877, 0.041666556149721146, 0.008363173343241215, 0.0013926175888627768,
], 8);
const F64: usize = memory.data<f64>([
  710.0, -746.0, 1.4426950408889634,
  6755399441057790.0, // ROUND: 1.5·2^52 + 2·1023
  6.93147180369123816490e-1, 1.90821492927058770002e-10, // fdlibm's split: hi has 32 trailing zero bits
  1.0, -708.3964185322641, // MIN_NORMAL: ln(2^-1022), rounded up
  6755399441056767.0, // ROUND1: 1.5·2^52 + 1023
  // A near-minimax fit of (exp(r) − 1 − r)/r² on |r| ≤ ln2/2 (scripts/exp-polynomials.py, degree 9: error < 1.1e-16 there).
  0.5000000000000001, 0.16666666666666669, 0.041666666666624164, 0.008333333333330065, 0.0013888888917196719,
  0.00019841269863040545, 2.4801521322368692e-05, 2.7557268480310024e-06, 2.7620075879983367e-07, 2.5100375832561234e-08,
], 8);

// @ts-ignore: decorator
@inline function c<T>(index: i32): v128 {
  return constantOf<T>(F32, F64, index);
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

// float64's vexpNonPositive reduces further, by a table: x = (64k + j)·ln2/64 + r
// with |r| ≤ ln2/128, exp(x) = 2^k · 2^(j/64) · exp(r), 2^(j/64) held as a
// float64 and its remainder (hi + lo), exp(r) = 1 + q with q = r + r²·P(r), P of
// degree 3; then 2^(j/64)·(1 + q) = hi + (lo + hi·q) rounds once. Its constants:
// MIN_NORMAL, 64/ln2, ROUND64 (1.5·2^52 + 1023·64), ln2/64 as hi + lo, then P's.
const F64_TABLE_CONSTANTS: usize = memory.data<f64>([
  -708.3964185322641, 92.33248261689366, 6755399441121216.0,
  0.01083042469326756, 2.9815858269852933e-12, // fdlibm's ln2 hi and lo over 64 (exact)
  // A near-minimax fit of (exp(r) − 1 − r)/r² on |r| ≤ ln2/128 (scripts/exp-polynomials.py, degree 3: error < 1.5e-13).
  0.49999999999985073, 0.16666666666664534, 0.04166670739519196, 0.008333339151693497,
], 8);

/** 2^(j/64) for j = 0…63, each as hi (the float64 nearest) and lo (the rest): scripts/exp-polynomials.py. */
const POW2_64THS: usize = memory.data<f64>([
  1.0, 0.0,
  1.0108892860517005, -1.5234778603368577e-17,
  1.0218971486541166, 5.109225028973444e-17,
  1.0330248790212284, 7.600838874027088e-18,
  1.0442737824274138, 8.551889705537965e-17,
  1.0556451783605572, 1.759325738772092e-18,
  1.0671404006768237, -7.899853966841582e-17,
  1.0787607977571199, -6.656660436056593e-17,
  1.0905077326652577, -3.046782079812471e-17,
  1.102382583307841, 5.2660368715706944e-17,
  1.1143867425958924, 1.0410278456845571e-16,
  1.1265216186082418, 5.165856758795457e-17,
  1.1387886347566916, 8.912812676025408e-17,
  1.1511892299529827, 3.250710218863827e-17,
  1.1637248587775775, 3.8292048369240935e-17,
  1.1763969916502812, 5.554203254218079e-17,
  1.189207115002721, 3.982015231465646e-17,
  1.202156731452703, 6.644981499252301e-17,
  1.215247359980469, -7.712630692681488e-17,
  1.22848053610687, -1.89878163130253e-17,
  1.241857812073484, 4.658027591836937e-17,
  1.255380757024691, -6.7113898212968784e-18,
  1.2690509571917332, 2.667932131342186e-18,
  1.2828700160787783, 1.713594918243561e-17,
  1.2968395546510096, 2.5382502794888315e-17,
  1.3109612115247644, -7.181536135519454e-17,
  1.3252366431597413, -2.8587312100388614e-17,
  1.339667524053303, 8.927282594831732e-17,
  1.3542555469368927, 7.70094837980299e-17,
  1.3690024229745905, 9.593797919118849e-17,
  1.383909881963832, -6.770511658794786e-17,
  1.3989796725383112, -9.614213209051323e-17,
  1.4142135623730951, -9.667293313452913e-17,
  1.42961333839197, -1.2031642489053655e-17,
  1.4451808069770467, -3.0237581349939873e-17,
  1.460917794180647, -5.600377186075216e-17,
  1.4768261459394993, -3.483994556892796e-17,
  1.4929077282912648, 1.4192920154284036e-17,
  1.5091644275934228, -1.016455327754295e-16,
  1.5255981507445384, -1.1024941712342561e-16,
  1.5422108254079407, 7.949834809697621e-17,
  1.559004400237837, 3.7812070533575275e-17,
  1.5759808451078865, -1.0136916471278304e-17,
  1.593142151342267, -1.0094406542311964e-16,
  1.6104903319492543, 2.4707192569797888e-17,
  1.6280274218573478, -6.712955084707084e-17,
  1.645755478153965, -1.0125679913674773e-16,
  1.6636765803267364, 5.8909926967131e-17,
  1.681792830507429, 8.199010020581497e-17,
  1.7001063537185235, -8.0237193703977e-18,
  1.718619298122478, -1.851380418263111e-17,
  1.7373338352737062, 3.164389299292957e-17,
  1.7562521603732995, 2.960140695448873e-17,
  1.7753764925265212, 6.429731796556572e-17,
  1.7947090750031072, 1.8227458427912087e-17,
  1.8142521755003989, -9.969531538920349e-17,
  1.8340080864093424, 3.283107224245627e-17,
  1.8539791250833855, 9.761887490727594e-17,
  1.8741676341103, -6.122763413004143e-17,
  1.8945759815869656, 3.4034035352165297e-17,
  1.9152065613971474, -1.0619946056195963e-16,
  1.9360617934922943, 1.0332385960676326e-16,
  1.9571441241754002, 8.960767791036668e-17,
  1.978456026387951, 4.0388753109278167e-17,
], 16);

// @ts-ignore: decorator
@inline function t64(index: i32): v128 {
  return v128.load64_splat(F64_TABLE_CONSTANTS + (<usize>index << 3));
}

/** hi and lo of 2^(j/64) (see POW2_64THS) for the j in bits 0–5 of each lane of km: [hi0, hi1], [lo0, lo1]. */
// @ts-ignore: decorator
@inline function pow2Fraction(km: v128, hi: bool): v128 {
  const a = v128.load(POW2_64THS + (<usize>(<i32>i64x2.extract_lane(km, 0) & 63) << 4));
  const b = v128.load(POW2_64THS + (<usize>(<i32>i64x2.extract_lane(km, 1) & 63) << 4));
  return hi ? i64x2.shuffle(a, b, 0, 2) : i64x2.shuffle(a, b, 1, 3);
}

/** exp of every lane of v (lanes of T, each ≤ 0 or NaN); 0 where the result would be below T's smallest normal number. */
// @ts-ignore: decorator
@inline export function vexpNonPositive<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return vexpNonPositiveF64(x);
  const subnormal = v128.lt<T>(x, c<T>(7));
  const km = v128.add<T>(v128.mul<T>(x, c<T>(2)), c<T>(8));
  const k = v128.sub<T>(km, c<T>(8));
  const r = v128.sub<T>(v128.sub<T>(x, v128.mul<T>(k, c<T>(4))), v128.mul<T>(k, c<T>(5)));
  const p = v128.add<T>(v128.add<T>(v128.mul<T>(v128.mul<T>(r, r), polyHorner<T>(r)), r), c<T>(6));
  return v128.andnot(v128.mul<T>(p, pow2<T>(km)), subnormal);
}

/** float64's vexpNonPositive, by the table of 2^(j/64). */
// @ts-ignore: decorator
@inline function vexpNonPositiveF64(x: v128): v128 {
  const subnormal = f64x2.lt(x, t64(0));
  // km's low bits: 64k + j + 1023·64, with j in [0, 63] and, where the result is not flushed, k ≥ −1022.
  const km = f64x2.add(f64x2.mul(x, t64(1)), t64(2));
  const kj = f64x2.sub(km, t64(2));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kj, t64(3))), f64x2.mul(kj, t64(4)));
  const p = f64x2.add(t64(5), f64x2.mul(f64x2.add(t64(6), f64x2.mul(f64x2.add(t64(7), f64x2.mul(t64(8), r)), r)), r));
  const q = f64x2.add(f64x2.mul(f64x2.mul(r, r), p), r);
  const hi = pow2Fraction(km, true);
  const fraction = f64x2.add(hi, f64x2.add(pow2Fraction(km, false), f64x2.mul(hi, q)));
  // 2^k: the bits of k + 1023 (km's bits above j) moved into the exponent field.
  return v128.andnot(f64x2.mul(fraction, i64x2.shl(v128.and(km, i64x2.splat(-64)), 46)), subnormal);
}

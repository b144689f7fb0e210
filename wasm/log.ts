// log of a whole v128 of T for values ≥ 1 (the loss kernel's sums of exps, of
// which one term is exp(0) = 1), NaN and +inf: fdlibm's (musl's) log and logf,
// each lane at once. x = 2^k·m with m in [√2/2, √2), f = m − 1, s = f/(2 + f),
// log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)). Worst-case error:
// test/core/wasmMath.test.ts.

import { constantOf } from './vec';

// Constants, one scalar each (splatted to a v128 as loaded): LN2HI, LN2LO (ln 2 = hi + lo), HALF, TWO, INF, then
// Lg1…Lg7 (float32 has Lg1…Lg4).
const F32: usize = memory.data<f32>([
  6.9313812256e-1, 9.0580006145e-6, 0.5, 2.0, Infinity,
  0.66666662693, 0.40000972152, 0.28498786688, 0.24279078841,
], 8);
const F64: usize = memory.data<f64>([
  6.93147180369123816490e-1, 1.90821492927058770002e-10, 0.5, 2.0, Infinity,
  6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
], 8);

// @ts-ignore: decorator
@inline function c<T>(index: i32): v128 {
  return constantOf<T>(F32, F64, index);
}

/** Lg_i + p·w: a step of Horner's rule in w = s⁴. */
// @ts-ignore: decorator
@inline function step<T>(p: v128, w: v128, i: i32): v128 {
  return v128.add<T>(c<T>(4 + i), v128.mul<T>(p, w));
}

/** log of every lane of x (lanes of T, each ≥ 1, NaN or +inf). */
// @ts-ignore: decorator
@inline export function vlogOfSum<T>(x: v128): v128 {
  let m: v128;
  let k: v128;
  if (sizeof<T>() == 4) {
    // Move m's range to [√2/2, √2): the exponent field of x·(1/√2), mantissa bits kept.
    const ix = i32x4.add(x, i32x4.splat(0x3f800000 - 0x3f3504f3));
    k = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(ix, 23), i32x4.splat(0x7f)));
    m = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  } else {
    const ix = i64x2.add(x, i64x2.splat(<i64>(0x3ff00000 - 0x3fe6a09e) << 32));
    // k is small: add it to the bits of 1.5·2^52 and subtract that number to make it a float64.
    const magic = i64x2.splat(0x4338000000000000);
    k = f64x2.sub(i64x2.add(i64x2.sub(i64x2.shr_u(ix, 52), i64x2.splat(0x3ff)), magic), magic);
    m = i64x2.add(v128.and(ix, i64x2.splat(0x000fffffffffffff)), i64x2.splat(<i64>0x3fe6a09e << 32));
  }
  const f = v128.sub<T>(m, v128.splat<T>(<T>1));
  const hfsq = v128.mul<T>(v128.mul<T>(c<T>(2), f), f);
  const s = v128.div<T>(f, v128.add<T>(c<T>(3), f));
  const z = v128.mul<T>(s, s);
  const w = v128.mul<T>(z, z);
  let t1: v128;
  let t2: v128;
  if (sizeof<T>() == 4) {
    t1 = v128.mul<T>(w, step<T>(c<T>(4 + 4), w, 2));
    t2 = v128.mul<T>(z, step<T>(c<T>(4 + 3), w, 1));
  } else {
    t1 = v128.mul<T>(w, step<T>(step<T>(c<T>(4 + 6), w, 4), w, 2));
    t2 = v128.mul<T>(z, step<T>(step<T>(step<T>(c<T>(4 + 7), w, 5), w, 3), w, 1));
  }
  const R = v128.add<T>(t2, t1);
  // s·(hfsq + R) + k·ln2lo − hfsq + f + k·ln2hi, in that order.
  const sum = v128.add<T>(v128.mul<T>(s, v128.add<T>(hfsq, R)), v128.mul<T>(k, c<T>(1)));
  const r = v128.add<T>(v128.add<T>(v128.sub<T>(sum, hfsq), f), v128.mul<T>(k, c<T>(0)));
  // NaN and +inf are their own log.
  return v128.bitselect(r, x, v128.lt<T>(x, c<T>(4)));
}

// exp(x) on a whole v128 of T, by range reduction x = k·ln2 + r (|r| ≤ ln2/2)
// and a polynomial for exp(r). 2^k is applied in two halves so results in the
// subnormal range are rounded once and overflow gives +inf. NaN stays NaN,
// -inf gives 0, +inf gives +inf. Worst-case error: test/core/wasmMath.test.ts.

const F32: usize = memory.data<f32>([
  89.0, 89.0, 89.0, 89.0, // MAX
  -104.0, -104.0, -104.0, -104.0, // MIN
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // LOG2E
  12583166.0, 12583166.0, 12583166.0, 12583166.0, // ROUND: 1.5·2^23 + 2·127
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // LN2HI
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // LN2LO
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, // P0
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, // P1
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, // P2
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, // P3
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, // P4
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, // P5
  1.0, 1.0, 1.0, 1.0, // ONE
], 16);
const F64: usize = memory.data<f64>([
  710.0, 710.0, // MAX
  -746.0, -746.0, // MIN
  1.4426950408889634, 1.4426950408889634, // LOG2E
  6755399441057790.0, 6755399441057790.0, // ROUND: 1.5·2^52 + 2·1023
  6.93147180369123816490e-1, 6.93147180369123816490e-1, // LN2HI
  1.90821492927058770002e-10, 1.90821492927058770002e-10, // LN2LO
  1.0 / 479001600.0, 1.0 / 479001600.0, // P0
  1.0 / 39916800.0, 1.0 / 39916800.0, // P1
  1.0 / 3628800.0, 1.0 / 3628800.0, // P2
  1.0 / 362880.0, 1.0 / 362880.0, // P3
  1.0 / 40320.0, 1.0 / 40320.0, // P4
  1.0 / 5040.0, 1.0 / 5040.0, // P5
  1.0 / 720.0, 1.0 / 720.0, // P6
  1.0 / 120.0, 1.0 / 120.0, // P7
  1.0 / 24.0, 1.0 / 24.0, // P8
  1.0 / 6.0, 1.0 / 6.0, // P9
  0.5, 0.5, // P10
  1.0, 1.0, // ONE
], 16);

// Constants are loaded from memory: V8 rebuilds a v128.const inside a loop on
// every iteration (several instructions each), a load is one.
// @ts-ignore: decorator
@inline function c32(name: i32): v128 {
  return v128.load(F32 + (<usize>name << 4));
}
// @ts-ignore: decorator
@inline function c64(name: i32): v128 {
  return v128.load(F64 + (<usize>name << 4));
}

// @ts-ignore: decorator
@inline function expF32x4(x: v128): v128 {
  // Beyond these bounds exp(x) is 0 or +inf in float32 anyway. pmin/pmax are
  // plain minps/maxps (wasm's min/max are long sequences on x86); with x first
  // they keep a NaN.
  const xc = f32x4.pmax(f32x4.pmin(x, c32(0)), c32(1));
  // Adding ROUND rounds to the nearest integer k (ties to even) and leaves
  // k + 2·127 in km's low mantissa bits.
  const km = f32x4.add(f32x4.mul(xc, c32(2)), c32(3));
  const k = f32x4.sub(km, c32(3));
  // Cody–Waite: ln2 = hi + lo with hi's low bits zero, so k·hi is exact.
  let r = f32x4.sub(xc, f32x4.mul(k, c32(4)));
  r = f32x4.sub(r, f32x4.mul(k, c32(5)));
  // Cephes expf minimax polynomial: exp(r) ≈ 1 + r + r²·P(r), P(r) = Σ a_i·r^i
  // with a_i = c32(11 − i), by Estrin's scheme (short dependency chains).
  const r2 = f32x4.mul(r, r);
  const q0 = f32x4.add(c32(11), f32x4.mul(c32(10), r));
  const q1 = f32x4.add(c32(9), f32x4.mul(c32(8), r));
  const q2 = f32x4.add(c32(7), f32x4.mul(c32(6), r));
  const P = f32x4.add(f32x4.add(q0, f32x4.mul(q1, r2)), f32x4.mul(q2, f32x4.mul(r2, r2)));
  const p = f32x4.add(f32x4.add(f32x4.mul(r2, P), r), c32(12));
  // 2^k in two halves: km/2 and km − km/2 hold ⌊k/2⌋ + 127 and ⌈k/2⌉ + 127 in
  // their low bits; the rest (even, positive) shifts out past the exponent field.
  const k1 = i32x4.shr_u(km, 1);
  return f32x4.mul(f32x4.mul(p, i32x4.shl(k1, 23)), i32x4.shl(i32x4.sub(km, k1), 23));
}

// @ts-ignore: decorator
@inline function expF64x2(x: v128): v128 {
  const xc = f64x2.pmax(f64x2.pmin(x, c64(0)), c64(1));
  // As for f32: ROUND rounds to the nearest k and leaves k + 2·1023 in the low bits.
  const km = f64x2.add(f64x2.mul(xc, c64(2)), c64(3));
  const k = f64x2.sub(km, c64(3));
  // fdlibm's split of ln2: hi has 32 trailing zero bits.
  let r = f64x2.sub(xc, f64x2.mul(k, c64(4)));
  r = f64x2.sub(r, f64x2.mul(k, c64(5)));
  // Taylor series to r^12 (truncation error < 2e-16 for |r| ≤ ln2/2):
  // exp(r) ≈ 1 + r + r²·P(r), P(r) = Σ a_i·r^i with a_i = 1/(i+2)! = c64(16 − i),
  // evaluated by Estrin's scheme (short dependency chains: the loop is latency-bound).
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const q0 = f64x2.add(c64(16), f64x2.mul(c64(15), r));
  const q1 = f64x2.add(c64(14), f64x2.mul(c64(13), r));
  const q2 = f64x2.add(c64(12), f64x2.mul(c64(11), r));
  const q3 = f64x2.add(c64(10), f64x2.mul(c64(9), r));
  const q4 = f64x2.add(c64(8), f64x2.mul(c64(7), r));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r2));
  const s1 = f64x2.add(q2, f64x2.mul(q3, r2));
  const s2 = f64x2.add(q4, f64x2.mul(c64(6), r2));
  const P = f64x2.add(f64x2.add(s0, f64x2.mul(s1, r4)), f64x2.mul(s2, r8));
  const p = f64x2.add(f64x2.add(f64x2.mul(r2, P), r), c64(17));
  const k1 = i64x2.shr_u(km, 1);
  return f64x2.mul(f64x2.mul(p, i64x2.shl(k1, 52)), i64x2.shl(i64x2.sub(km, k1), 52));
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

// Vector helpers generic over the element type T (f32: 4 lanes, f64: 2 lanes
// of a v128), so each kernel is written once for both dtypes.

/** Lanes of T in one v128. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Horizontal maximum; NaN in any lane gives NaN, like Math.max. */
// @ts-ignore: decorator
@inline export function hmax<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    return <T>max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  return <T>max(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}

/**
 * Half `which` (0: lanes 0–1, 1: lanes 2–3) of a v128 of T, as f64x2, for
 * accumulating float32 sums in float64 (a 50,000-class row then loses no
 * digits). For f64, half 0 is the vector itself and half 1 is zero.
 */
// @ts-ignore: decorator
@inline export function widen<T>(v: v128, which: i32): v128 {
  if (sizeof<T>() == 4) {
    return which == 0 ? f64x2.promote_low_f32x4(v) : f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  }
  return which == 0 ? v : f64x2.splat(0);
}

/** The reverse of widen for f32: two f64x2 (lanes 0–1, 2–3), each rounded to f32, as one f32x4. */
// @ts-ignore: decorator
@inline export function narrow<T>(low: v128, high: v128): v128 {
  return i8x16.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/** Sum of the lanes of two f64x2 accumulators. */
// @ts-ignore: decorator
@inline export function hsum2(a: v128, b: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** Natural log in T's precision (one per row or element, so the library's scalar log). */
// @ts-ignore: decorator
@inline export function logT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

/**
 * Constant `index` of a table of scalars, one table per dtype, in every lane. Loaded with a splat (one instruction):
 * V8 rebuilds a v128.const in every loop iteration.
 */
// @ts-ignore: decorator
@inline export function constantOf<T>(f32Table: usize, f64Table: usize, index: i32): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(f32Table + (<usize>index << 2));
  return v128.load64_splat(f64Table + (<usize>index << 3));
}

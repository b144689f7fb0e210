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
 * Adds the lanes of v (type T) into the float64 accumulator pair acc (two f64x2).
 * float32 sums are accumulated in float64 so a 50,000-class row loses no digits.
 */
// @ts-ignore: decorator
@inline export function widen<T>(v: v128, which: i32): v128 {
  if (sizeof<T>() == 4) {
    return which == 0 ? f64x2.promote_low_f32x4(v) : f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  }
  return which == 0 ? v : f64x2.splat(0);
}

/** Sum of the lanes of two f64x2 accumulators. */
// @ts-ignore: decorator
@inline export function hsum2(a: v128, b: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** Lane i of v as f64. */
// @ts-ignore: decorator
@inline export function laneF64<T>(v: v128, i: i32): f64 {
  if (sizeof<T>() == 4) {
    switch (i) {
      case 0: return <f64>f32x4.extract_lane(v, 0);
      case 1: return <f64>f32x4.extract_lane(v, 1);
      case 2: return <f64>f32x4.extract_lane(v, 2);
      default: return <f64>f32x4.extract_lane(v, 3);
    }
  }
  return i == 0 ? f64x2.extract_lane(v, 0) : f64x2.extract_lane(v, 1);
}

/** Natural log in T's precision (one per row, so the library's scalar log). */
// @ts-ignore: decorator
@inline export function logT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

// Class-index targets as vectors: a group's elements, one per lane of T, each
// with its own target class. The per-element work at the target (p[t], log p[t],
// the gradient there) is then vector arithmetic between one gather and one
// scatter, instead of a scalar loop per lane.

// Masks keeping the first n i32 lanes (n = 1, 2, 3).
const FIRST_LANES: usize = memory.data<i32>([-1, 0, 0, 0, -1, -1, 0, 0, -1, -1, -1, 0], 16);

/** The i32 mask keeping a vector's first n lanes of 4 bytes, n = 1..3. */
// @ts-ignore: decorator
@inline export function firstLanes(n: i32): v128 {
  return v128.load(FIRST_LANES + (<usize>(n - 1) << 4));
}

/**
 * The target class of each lane's element as i32 lanes (lane j for lane j of
 * T): −1 where the element is ignored, and in lanes past the last element. A
 * row's one element is in every lane, like its other per-element vectors.
 */
// @ts-ignore: decorator
@inline export function targetsAt(target: usize, e0: usize, row: bool, elements: i32): v128 {
  if (row) return i32x4.splat(load<i32>(target + (e0 << 2)));
  const t = v128.load(target + (e0 << 2));
  return elements >= 4 ? t : v128.bitselect(t, i32x4.splat(-1), firstLanes(elements));
}

/** All bits set in the lanes of T whose target is a class (≥ 0). */
// @ts-ignore: decorator
@inline export function hasClass<T>(targets: v128): v128 {
  const m = i32x4.gt_s(targets, i32x4.splat(-1));
  return sizeof<T>() == 4 ? m : i64x2.extend_low_i32x4_s(m);
}

/** Where lane j's value sits: base + t_j·classStep + j·laneStep (t_j < 0 reads class 0). */
// @ts-ignore: decorator
@inline function laneAddress(base: usize, t: i32, classStep: usize, laneStep: usize, j: i32): usize {
  return base + <usize>max(t, 0) * classStep + <usize>j * laneStep;
}

/** Lane j: the value of T at lane j's target class (laneAddress). */
// @ts-ignore: decorator
@inline export function gather<T>(base: usize, targets: v128, classStep: usize, laneStep: usize): v128 {
  let v = v128.splat<T>(load<T>(laneAddress(base, i32x4.extract_lane(targets, 0), classStep, laneStep, 0)));
  v = v128.replace_lane<T>(v, 1, load<T>(laneAddress(base, i32x4.extract_lane(targets, 1), classStep, laneStep, 1)));
  if (sizeof<T>() == 8) return v;
  v = v128.replace_lane<T>(v, 2, load<T>(laneAddress(base, i32x4.extract_lane(targets, 2), classStep, laneStep, 2)));
  return v128.replace_lane<T>(v, 3, load<T>(laneAddress(base, i32x4.extract_lane(targets, 3), classStep, laneStep, 3)));
}

/** Stores lane j of `values` at lane j's target class (laneAddress), for the lanes whose target is a class (a row: lane 0). */
// @ts-ignore: decorator
@inline export function scatter<T>(base: usize, targets: v128, classStep: usize, laneStep: usize, values: v128, row: bool): void {
  const t0 = i32x4.extract_lane(targets, 0);
  if (t0 >= 0) store<T>(laneAddress(base, t0, classStep, laneStep, 0), v128.extract_lane<T>(values, 0));
  if (row) return;
  const t1 = i32x4.extract_lane(targets, 1);
  if (t1 >= 0) store<T>(laneAddress(base, t1, classStep, laneStep, 1), v128.extract_lane<T>(values, 1));
  if (sizeof<T>() == 8) return;
  const t2 = i32x4.extract_lane(targets, 2);
  const t3 = i32x4.extract_lane(targets, 3);
  if (t2 >= 0) store<T>(laneAddress(base, t2, classStep, laneStep, 2), v128.extract_lane<T>(values, 2));
  if (t3 >= 0) store<T>(laneAddress(base, t3, classStep, laneStep, 3), v128.extract_lane<T>(values, 3));
}

/**
 * Class-index targets given as float64 values, as int32 class indices: n values
 * at `values` (n a multiple of 4, the buffer padded), −1 where a value equals
 * ignoreIndex, into `out`. At `result` (an f64): how many equal ignoreIndex, or
 * −1 when some value is neither that nor an integer in [0, classes) (the caller
 * then finds it and says what is wrong with it).
 */
export function classIndices(values: usize, n: i32, classes: i32, ignoreIndex: f64, out: usize, result: usize): void {
  const ignore = f64x2.splat(ignoreIndex);
  const limit = i32x4.splat(classes);
  let ignored = i32x4.splat(0);
  let invalid = i32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const v0 = v128.load(values + (<usize>i << 3));
    const v1 = v128.load(values + (<usize>i << 3) + 16);
    // t: the four values truncated to int32 (saturating; NaN gives 0); a value is a whole number when t gives it back.
    const t = i64x2.shuffle(i32x4.trunc_sat_f64x2_s_zero(v0), i32x4.trunc_sat_f64x2_s_zero(v1), 0, 2);
    const whole = lowHalves(f64x2.eq(f64x2.convert_low_i32x4_s(t), v0), f64x2.eq(f64x2.convert_low_i32x4_s(i64x2.shuffle(t, t, 1, 0)), v1));
    const isIgnored = lowHalves(f64x2.eq(v0, ignore), f64x2.eq(v1, ignore));
    const isClass = v128.and(whole, i32x4.lt_u(t, limit)); // unsigned: negative t is out of range too
    invalid = v128.or(invalid, v128.andnot(v128.not(isClass), isIgnored));
    ignored = i32x4.sub(ignored, isIgnored);
    v128.store(out + (<usize>i << 2), v128.or(t, isIgnored));
  }
  const count = i32x4.extract_lane(ignored, 0) + i32x4.extract_lane(ignored, 1) + i32x4.extract_lane(ignored, 2) + i32x4.extract_lane(ignored, 3);
  store<f64>(result, v128.any_true(invalid) ? -1 : <f64>count);
}

/** The low 32 bits of each 64-bit lane of a and b (two f64x2 comparison masks) as one i32x4 mask. */
// @ts-ignore: decorator
@inline function lowHalves(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 0, 2, 4, 6);
}

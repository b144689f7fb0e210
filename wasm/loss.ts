// Cross-entropy forward and backward, fused per element, for class-index and
// probability targets and both layouts; the arithmetic of
// core/compute/typescriptKernels.ts in T (f32 or f64), sums accumulated in f64.
//
// Per element: log p = x − max − log Σ exp(x − max), of which only max and
// log Σ are stored (the caller forms log p when it is read); the term Σ_c u[c]·w[c]·log p[c]
// (u = y' = y·keep + spread for probability targets, 1 for the smoothing term of
// index targets) and, for index targets, −w[t]·log p[t]; and
// d(loss)/d(x) = g − p·Σg with g[c] = coef·u[c]·w[c] (+ −nllScale·w[t] at the target t),
// where coef is −smoothScale (index) or −scale (probabilities). g is never stored;
// exp(x − max) waits in the gradient buffer between the sum and the gradient
// (in scratch memory for a forward pass).
//
// A group is what one pass of vectors covers: one row of classes (rows layout,
// inner = 1: SIMD along the classes, the last vector masked) or L neighbouring
// positions (spatial layout: SIMD across positions, one element per lane; the
// lanes past the last position compute garbage in padding and are not stored).
import {
  lossClasses, lossExps, lossGrad, lossInner, lossKeep, lossLogSum, lossNll, lossOuter, lossRowStride, lossScale, lossShift,
  lossSmoothing, lossSmoothScale, lossSpread, lossSum, lossTarget, lossWeight, lossWeightSum, lossX, lossY,
} from './calls.generated';
import { vexpNonPositive } from './exp';
import { vlogOfSum } from './log';
import { firstLanes, gather, hasClass, scatter, targetsAt } from './targets';
import { hmax, hsum2, lanes, logT, narrow, widen } from './vec';

const BLOCK = 8;

// KINDS: the kernel is compiled as a function of its own per layout for each,
// named by a type argument K whose size is the kind (a constant in each copy):
// class-index targets without weights or smoothing (u8); probability targets
// without weights or smoothing (u16); everything else (u32).
const INDEX_PLAIN = 1;
const PROBS_PLAIN = 2;
const GENERAL = 4;

// A group's Σ term over log p, as two f64x2 (see termSum).
const LOG_SUM_TERM: usize = memory.data(32, 16);

/** The vector of per-element values at `vector`: lane 0 in every lane for a row, else as stored. */
// @ts-ignore: decorator
@inline function perElement<T>(vector: usize, row: bool): v128 {
  return row ? v128.splat<T>(load<T>(vector)) : v128.load(vector);
}

/**
 * Per-element f64 sums, held as two f64x2 (lanes 0–1, then 2–3 of a vector of
 * T; see termSum), each times `factor`'s lane when `scaled` (a vector of T),
 * rounded to T once: a vector of T. For a row, its whole sum in every lane.
 */
// @ts-ignore: decorator
@inline function perElementSums<T>(low: v128, high: v128, row: bool, scaled: bool, factor: v128): v128 {
  if (row) {
    const total = hsum2(low, high);
    return v128.splat<T>(<T>(scaled ? <f64>v128.extract_lane<T>(factor, 0) * total : total));
  }
  if (sizeof<T>() == 8) return scaled ? f64x2.mul(factor, low) : low;
  const lo = scaled ? f64x2.mul(widen<T>(factor, 0), low) : low;
  const hi = scaled ? f64x2.mul(widen<T>(factor, 1), high) : high;
  return narrow<T>(lo, hi);
}

/** a·b + c in f64 per lane of T (a, c vectors of T, b an f64x2 splat), rounded to T once. */
// @ts-ignore: decorator
@inline function withF64<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 8) return f64x2.add(f64x2.mul(a, b), c);
  return narrow<T>(f64x2.add(f64x2.mul(widen<T>(a, 0), b), widen<T>(c, 0)), f64x2.add(f64x2.mul(widen<T>(a, 1), b), widen<T>(c, 1)));
}

/** log of each lane of a vector of sums (≥ 1) of T: a row's value, in every lane, by one scalar log. */
// @ts-ignore: decorator
@inline function logOfSums<T>(v: v128, row: bool): v128 {
  return row ? v128.splat<T>(logT<T>(v128.extract_lane<T>(v, 0))) : vlogOfSum<T>(v);
}

/** The logits at byte offset o; −inf past the row when masked (a row's last vector: exp gives 0 there). */
// @ts-ignore: decorator
@inline function logitsAt<T>(x: usize, o: usize, masked: bool, mask: v128): v128 {
  const xv = v128.load(x + o);
  return masked ? v128.bitselect(xv, v128.splat<T>(<T>-Infinity), mask) : xv;
}

/** y' at byte offset o: y·keep + spread when smoothing. */
// @ts-ignore: decorator
@inline function smoothed<T>(y: usize, o: usize, smoothing: bool, keep: v128, spread: v128): v128 {
  const u = v128.load(y + o);
  return smoothing ? v128.add<T>(v128.mul<T>(u, keep), spread) : u;
}

/** `value` times the class weights of vector v (`weight` 0: no weights). */
// @ts-ignore: decorator
@inline function weighted<T>(value: v128, weight: usize, v: i32): v128 {
  return weight ? v128.mul<T>(value, v128.load(weight + (<usize>v << 4))) : value;
}

/**
 * The gradient of vector v: g − e·(1/Σ)·Σg over the exps e in gr, with g = coef·y'·w.
 * A row's last vector (masked) leaves the lanes past the row as they are: the next row's exps are there.
 */
// @ts-ignore: decorator
@inline function storeGradient<T>(
  gr: usize, y: usize, o: usize, v: i32, hasY: bool, smoothing: bool, keep: v128, spread: v128, weight: usize,
  coef: v128, inv: v128, gradSum: v128, masked: bool, mask: v128,
): void {
  const g = weighted<T>(hasY ? v128.mul<T>(coef, smoothed<T>(y, o, smoothing, keep, spread)) : coef, weight, v);
  const e = v128.load(gr + o);
  const value = v128.sub<T>(g, v128.mul<T>(v128.mul<T>(e, inv), gradSum));
  v128.store(gr + o, masked ? v128.bitselect(value, e, mask) : value);
}

/** The exps at `at` times `factor`, in place (masked: the lanes past a row kept). */
// @ts-ignore: decorator
@inline function scaleExps<T>(at: usize, factor: v128, masked: bool, mask: v128): void {
  const e = v128.load(at);
  const value = v128.mul<T>(e, factor);
  v128.store(at, masked ? v128.bitselect(value, e, mask) : value);
}

/**
 * Vector v's term of a Σ over classes, at byte offset o: y'·w (`logP` false)
 * or y'·w·log p (`logP` true; y' only when `hasY`), zero past the row when masked.
 */
// @ts-ignore: decorator
@inline function term<T>(
  logP: bool, hasY: bool, x: usize, y: usize, o: usize, v: i32, vm: v128, vls: v128,
  smoothing: bool, keep: v128, spread: v128, weight: usize, masked: bool, mask: v128,
): v128 {
  let t = logP ? v128.sub<T>(v128.sub<T>(v128.load(x + o), vm), vls) : smoothed<T>(y, o, smoothing, keep, spread);
  if (logP && hasY) t = v128.mul<T>(t, smoothed<T>(y, o, smoothing, keep, spread));
  t = weighted<T>(t, weight, v);
  return masked ? v128.and(t, mask) : t;
}

/**
 * Σ of term() over a group's vectors, per lane, in f64: stored at `out` as two
 * f64x2 (lanes 0–1, then lanes 2–3 of a vector of T). Two vectors a step, into
 * two pairs of sums, so consecutive additions do not wait on each other. With
 * `gr` (0: none) it also stores each vector's gradient (storeGradient), while
 * the vector's y' is at hand.
 */
// @ts-ignore: decorator
@inline function termSum<T>(
  out: usize, logP: bool, hasY: bool, x: usize, y: usize, step: usize, vectors: i32, full: i32, masks: bool, mask: v128,
  vm: v128, vls: v128, smoothing: bool, keep: v128, spread: v128, weight: usize,
  gr: usize, coef: v128, inv: v128, gradSum: v128,
): void {
  let a0 = f64x2.splat(0);
  let a1 = a0;
  let b0 = a0;
  let b1 = a0;
  let v = 0;
  for (; v + 2 <= vectors; v += 2) {
    const o = <usize>v * step;
    const t = term<T>(logP, hasY, x, y, o, v, vm, vls, smoothing, keep, spread, weight, masks && v >= full, mask);
    const u = term<T>(logP, hasY, x, y, o + step, v + 1, vm, vls, smoothing, keep, spread, weight, masks && v + 1 >= full, mask);
    if (gr) {
      storeGradient<T>(gr, y, o, v, hasY, smoothing, keep, spread, weight, coef, inv, gradSum, masks && v >= full, mask);
      storeGradient<T>(gr, y, o + step, v + 1, hasY, smoothing, keep, spread, weight, coef, inv, gradSum, masks && v + 1 >= full, mask);
    }
    a0 = f64x2.add(a0, widen<T>(t, 0));
    b0 = f64x2.add(b0, widen<T>(u, 0));
    if (sizeof<T>() == 4) {
      a1 = f64x2.add(a1, widen<T>(t, 1));
      b1 = f64x2.add(b1, widen<T>(u, 1));
    }
  }
  if (v < vectors) {
    const t = term<T>(logP, hasY, x, y, <usize>v * step, v, vm, vls, smoothing, keep, spread, weight, masks && v >= full, mask);
    if (gr) storeGradient<T>(gr, y, <usize>v * step, v, hasY, smoothing, keep, spread, weight, coef, inv, gradSum, masks && v >= full, mask);
    a0 = f64x2.add(a0, widen<T>(t, 0));
    if (sizeof<T>() == 4) a1 = f64x2.add(a1, widen<T>(t, 1));
  }
  v128.store(out, f64x2.add(a0, b0));
  v128.store(out + 16, f64x2.add(a1, b1));
}

/** What the kind and call say about a group's inputs (see KINDS): the weight table (0: none), the Σ term's output (0: not wanted), y present, y smoothed. */
// @ts-ignore: decorator
@inline function weightOf(params: usize, kind: i32): usize {
  return kind == GENERAL ? lossWeight(params) : 0;
}

// @ts-ignore: decorator
@inline function sumOf(params: usize, kind: i32): usize {
  return kind == INDEX_PLAIN ? 0 : lossSum(params);
}

// @ts-ignore: decorator
@inline function hasYOf(kind: i32, y: usize): bool {
  return kind == PROBS_PLAIN || (kind == GENERAL && y != 0);
}

// @ts-ignore: decorator
@inline function smoothingOf(params: usize, kind: i32): bool {
  return kind == GENERAL && lossSmoothing(params) != 0;
}

// A group's state between its two halves (groupExps, then groupFinish), in
// memory so that a layout can run a group's exps before the previous group's
// finish, whose chain of dependent work (Σ → 1/Σ → log Σ → the loss term) then
// overlaps them: two slots, used in turn. Per slot: the max, Σ exp as two
// f64x2, Σ y'·w as two f64x2 (termSum).
const STATE: usize = memory.data(2 * 80, 16);
const STATE_BYTES: usize = 80;
const MAX_AT: usize = 0;
const EXP_SUM_AT: usize = 16;
const YW_SUM_AT: usize = 48;

/** The state slot of group g. */
// @ts-ignore: decorator
@inline function stateOf(g: i32): usize {
  return STATE + <usize>(g & 1) * STATE_BYTES;
}

/**
 * A group's first half: the max and Σ exp(x − max), each exp kept at `exps`
 * (expsOf); Σ y'·w for probability targets. Into `state`.
 *
 * A group is x, y, exps: its first class in each buffer; step: bytes between
 * class vectors; vectors: how many; full: how many need no mask (when `masks`).
 * `kind` (a constant at each call site) compiles a copy for the common cases
 * (see KINDS). The loops over vectors take four (or two) a step where they
 * can: the work of one vector is a chain of dependent operations, and
 * independent chains overlap.
 */
// @ts-ignore: decorator
@inline function groupExps<T>(
  params: usize, row: bool, kind: i32, masks: bool, x: usize, y: usize, exps: usize, step: usize,
  vectors: i32, full: i32, mask: v128, state: usize,
): void {
  const weight = weightOf(params, kind);
  const smoothing = smoothingOf(params, kind);
  const keep = v128.splat<T>(<T>lossKeep(params));
  const spread = v128.splat<T>(<T>lossSpread(params));
  const unmasked = masks ? full : vectors;

  // Pass 1: the maximum, into four running maxima (NaN is left to the sum: it makes every log p NaN, as in PyTorch).
  let m0 = v128.splat<T>(<T>-Infinity);
  let m1 = m0;
  let m2 = m0;
  let m3 = m0;
  let v = 0;
  for (; v + 4 <= unmasked; v += 4) {
    const o = <usize>v * step;
    m0 = v128.pmax<T>(m0, v128.load(x + o));
    m1 = v128.pmax<T>(m1, v128.load(x + o + step));
    m2 = v128.pmax<T>(m2, v128.load(x + o + 2 * step));
    m3 = v128.pmax<T>(m3, v128.load(x + o + 3 * step));
  }
  for (; v < vectors; v++) m0 = v128.pmax<T>(m0, logitsAt<T>(x, <usize>v * step, masks && v >= full, mask));
  const vmax = v128.pmax<T>(v128.pmax<T>(m0, m1), v128.pmax<T>(m2, m3));
  const vm = row ? v128.splat<T>(hmax<T>(vmax)) : vmax;
  // Σ y'·w (probability targets).
  const none = v128.splat<i32>(0);
  if (hasYOf(kind, y)) termSum<T>(state + YW_SUM_AT, false, true, x, y, step, vectors, full, masks, mask, vm, none, smoothing, keep, spread, weight, 0, none, none, none);

  // Pass 2: Σ exp(x − max), each exp kept at `exps`. In f32, blocks
  // of BLOCK vectors are summed in f32 (each lane adds BLOCK values ≤ 1), the blocks in f64.
  let a0 = f64x2.splat(0);
  let a1 = a0;
  for (v = 0; v < vectors; ) {
    const end = sizeof<T>() == 4 ? min(v + BLOCK, vectors) : vectors;
    let part = v128.splat<T>(<T>0);
    for (const last = min(end, unmasked); v + 4 <= last; v += 4) {
      const o = <usize>v * step;
      const exp0 = vexpNonPositive<T>(v128.sub<T>(v128.load(x + o), vm));
      const exp1 = vexpNonPositive<T>(v128.sub<T>(v128.load(x + o + step), vm));
      const exp2 = vexpNonPositive<T>(v128.sub<T>(v128.load(x + o + 2 * step), vm));
      const exp3 = vexpNonPositive<T>(v128.sub<T>(v128.load(x + o + 3 * step), vm));
      v128.store(exps + o, exp0);
      v128.store(exps + o + step, exp1);
      v128.store(exps + o + 2 * step, exp2);
      v128.store(exps + o + 3 * step, exp3);
      part = v128.add<T>(v128.add<T>(v128.add<T>(v128.add<T>(part, exp0), exp1), exp2), exp3);
    }
    for (; v < end; v++) {
      const o = <usize>v * step;
      const e = vexpNonPositive<T>(v128.sub<T>(logitsAt<T>(x, o, masks && v >= full, mask), vm));
      v128.store(exps + o, e);
      part = v128.add<T>(part, e);
    }
    a0 = f64x2.add(a0, widen<T>(part, 0));
    if (sizeof<T>() == 4) a1 = f64x2.add(a1, widen<T>(part, 1));
  }
  v128.store(state + MAX_AT, vm);
  v128.store(state + EXP_SUM_AT, a0);
  v128.store(state + EXP_SUM_AT + 16, a1);
}

/**
 * A group's second half, from its first half's `state`: log Σ, the Σ term, the
 * gradient, and for class-index targets the nll term. classStep: bytes between
 * one element's classes; e0: the first element; elements: how many are real (1
 * for a row).
 */
// @ts-ignore: decorator
@inline function groupFinish<T>(
  params: usize, row: bool, kind: i32, masks: bool, x: usize, y: usize, gr: usize, step: usize, classStep: usize,
  vectors: i32, full: i32, mask: v128, e0: usize, elements: i32, state: usize,
): void {
  const B = <usize>sizeof<T>();
  const weight = weightOf(params, kind);
  const sum = sumOf(params, kind);
  const hasY = hasYOf(kind, y);
  const smoothing = smoothingOf(params, kind);
  const keep = v128.splat<T>(<T>lossKeep(params));
  const spread = v128.splat<T>(<T>lossSpread(params));
  const none = v128.splat<i32>(0);
  const vm = v128.load(state + MAX_AT);
  let v = 0;

  // Per element, as vectors of T (a row's value in every lane): Σ exp, 1/Σ, log Σ;
  // max and log Σ stored (a vector store also fills the next elements' slots,
  // which they overwrite; the buffers have room past the last). Then coef and Σg,
  // and for class-index targets p at the target (its exp is overwritten next).
  const total = perElementSums<T>(v128.load(state + EXP_SUM_AT), v128.load(state + EXP_SUM_AT + 16), row, false, vm);
  const vinv = v128.div<T>(v128.splat<T>(<T>1), total);
  const vls = logOfSums<T>(total, row);
  v128.store(lossShift(params) + e0 * B, vm);
  v128.store(lossLogSum(params) + e0 * B, vls);
  const scale = perElement<T>(lossScale(params) + e0 * B, row);
  const laneStep = row ? 0 : B;
  let vcoef: v128;
  let vS: v128;
  let targets = none;
  let hasTarget = none;
  let wt = none;
  let gt = none;
  let pt = none;
  if (hasY) {
    vcoef = v128.neg<T>(scale);
    vS = perElementSums<T>(v128.load(state + YW_SUM_AT), v128.load(state + YW_SUM_AT + 16), row, true, vcoef);
  } else {
    // g = −ss·w[c] everywhere, plus gt = −scale·w[t] at the target; Σg = −ss·Σw + gt (in f64) with smoothing, else gt.
    targets = targetsAt(lossTarget(params), e0, row, elements);
    hasTarget = hasClass<T>(targets);
    wt = weight ? gather<T>(weight, targets, row ? B : 16, laneStep) : v128.splat<T>(<T>1);
    gt = v128.and(v128.neg<T>(v128.mul<T>(scale, wt)), hasTarget);
    const smoothScale = lossSmoothScale(params);
    vcoef = smoothScale ? v128.neg<T>(v128.and(perElement<T>(smoothScale + e0 * B, row), hasTarget)) : v128.splat<T>(<T>-0.0);
    vS = smoothScale ? withF64<T>(vcoef, v128.splat<f64>(lossWeightSum(params)), gt) : gt;
    if (gr) pt = v128.mul<T>(gather<T>(gr, targets, classStep, laneStep), vinv);
  }

  // Pass 3: the Σ term over log p, and the gradient over the exps.
  if (sum) termSum<T>(LOG_SUM_TERM, true, hasY, x, y, step, vectors, full, masks, mask, vm, vls, smoothing, keep, spread, weight, gr, vcoef, vinv, vS);
  else if (gr && kind == INDEX_PLAIN) {
    // g is 0 but at the target (whose gradient is stored last): the gradient is exp·(−Σg/Σ).
    const factor = v128.neg<T>(v128.mul<T>(vinv, vS));
    for (v = 0; v + 4 <= vectors; v += 4) {
      const o = <usize>v * step;
      scaleExps<T>(gr + o, factor, masks && v >= full, mask);
      scaleExps<T>(gr + o + step, factor, masks && v + 1 >= full, mask);
      scaleExps<T>(gr + o + 2 * step, factor, masks && v + 2 >= full, mask);
      scaleExps<T>(gr + o + 3 * step, factor, masks && v + 3 >= full, mask);
    }
    for (; v < vectors; v++) scaleExps<T>(gr + <usize>v * step, factor, masks && v >= full, mask);
  } else if (gr) {
    for (v = 0; v + 4 <= vectors; v += 4) {
      const o = <usize>v * step;
      storeGradient<T>(gr, y, o, v, hasY, smoothing, keep, spread, weight, vcoef, vinv, vS, masks && v >= full, mask);
      storeGradient<T>(gr, y, o + step, v + 1, hasY, smoothing, keep, spread, weight, vcoef, vinv, vS, masks && v + 1 >= full, mask);
      storeGradient<T>(gr, y, o + 2 * step, v + 2, hasY, smoothing, keep, spread, weight, vcoef, vinv, vS, masks && v + 2 >= full, mask);
      storeGradient<T>(gr, y, o + 3 * step, v + 3, hasY, smoothing, keep, spread, weight, vcoef, vinv, vS, masks && v + 3 >= full, mask);
    }
    for (; v < vectors; v++) storeGradient<T>(gr, y, <usize>v * step, v, hasY, smoothing, keep, spread, weight, vcoef, vinv, vS, masks && v >= full, mask);
  }

  // Per element: the Σ term (as a vector), the nll term and the gradient at the target (0 where ignored).
  if (sum) {
    const terms = v128.neg<T>(perElementSums<T>(v128.load(LOG_SUM_TERM), v128.load(LOG_SUM_TERM + 16), row, false, vm));
    v128.store(sum + e0 * B, hasY ? terms : v128.and(terms, hasTarget));
  }
  if (hasY) return;
  const logP = v128.sub<T>(v128.sub<T>(gather<T>(x, targets, classStep, laneStep), vm), vls);
  v128.store(lossNll(params) + e0 * B, v128.and(v128.mul<T>(v128.neg<T>(logP), wt), hasTarget));
  if (gr) scatter<T>(gr, targets, classStep, laneStep, v128.sub<T>(v128.add<T>(v128.mul<T>(vcoef, wt), gt), v128.mul<T>(pt, vS)), row);
}

/** The loss kernel; params: its arguments (the loss slots of core/compute/wasmCalls.ts). */
export function loss<T>(params: usize): void {
  const x = lossX(params);
  const y = lossY(params);
  const gr = lossGrad(params);
  const outer = lossOuter(params);
  const C = lossClasses(params);
  const inner = lossInner(params);
  const common = !lossWeight(params) && lossSmoothing(params) == 0;
  const kind = common && !y && !lossSum(params) ? INDEX_PLAIN : common && y ? PROBS_PLAIN : GENERAL;
  if (inner == 1) {
    if (kind == INDEX_PLAIN) rowsLayout<T, u8>(params, x, y, gr, outer, C);
    else if (kind == PROBS_PLAIN) rowsLayout<T, u16>(params, x, y, gr, outer, C);
    else rowsLayout<T, u32>(params, x, y, gr, outer, C);
  } else if (kind == INDEX_PLAIN) lanesLayout<T, u8>(params, x, y, gr, outer, C, inner);
  else if (kind == PROBS_PLAIN) lanesLayout<T, u16>(params, x, y, gr, outer, C, inner);
  else lanesLayout<T, u32>(params, x, y, gr, outer, C, inner);
}

/** Where the exps wait: the gradient buffer, else scratch (stored unconditionally, the exp loops run faster). */
// @ts-ignore: decorator
@inline function expsOf(params: usize, gr: usize): usize {
  return gr ? gr : lossExps(params);
}

/** The rows layout: one group per row, its last vector masked past the row; row r's exps run before row r − 1's finish. */
function rowsLayout<T, K>(params: usize, x: usize, y: usize, gr: usize, outer: i32, C: i32): void {
  const B = <usize>sizeof<T>();
  const full = C / lanes<T>();
  const tail = C % lanes<T>();
  const mask = tail ? firstLanes((tail * <i32>B) >> 2) : v128.splat<i32>(-1);
  const rowBytes = <usize>C * B;
  const vectors = full + (tail ? 1 : 0);
  for (let r = 0; r <= outer; r++) {
    if (r < outer) {
      const o = <usize>r * rowBytes;
      groupExps<T>(params, true, sizeof<K>(), tail != 0, x + o, y ? y + o : 0, expsOf(params, gr) + o, 16, vectors, full, mask, stateOf(r));
    }
    if (r == 0) continue;
    const o = <usize>(r - 1) * rowBytes;
    groupFinish<T>(params, true, sizeof<K>(), tail != 0, x + o, y ? y + o : 0, gr ? gr + o : 0, 16, B, vectors, full, mask, r - 1, 1, stateOf(r - 1));
  }
}

/** The spatial layout: groups of L positions, class rows rowStride apart; a group's exps run before the previous group's finish. */
function lanesLayout<T, K>(params: usize, x: usize, y: usize, gr: usize, outer: i32, C: i32, inner: i32): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const step = <usize>lossRowStride(params) * B;
  const none = v128.splat<i32>(0);
  let g = 0;
  let previous: usize = 0; // the previous group's offset, first element and element count
  let previousE0: usize = 0;
  let previousElements = 0;
  for (let n = 0; n < outer; n++) {
    for (let s = 0; s < inner; s += L, g++) {
      const o = <usize>n * <usize>C * step + <usize>s * B;
      groupExps<T>(params, false, sizeof<K>(), false, x + o, y ? y + o : 0, expsOf(params, gr) + o, step, C, C, none, stateOf(g));
      if (g > 0) finishSpatial<T, K>(params, x, y, gr, step, C, previous, previousE0, previousElements, stateOf(g - 1));
      previous = o;
      previousE0 = <usize>n * <usize>inner + <usize>s;
      previousElements = min(L, inner - s);
    }
  }
  if (g > 0) finishSpatial<T, K>(params, x, y, gr, step, C, previous, previousE0, previousElements, stateOf(g - 1));
}

/** groupFinish of the spatial group at byte offset o. */
// @ts-ignore: decorator
@inline function finishSpatial<T, K>(
  params: usize, x: usize, y: usize, gr: usize, step: usize, C: i32, o: usize, e0: usize, elements: i32, state: usize,
): void {
  groupFinish<T>(params, false, sizeof<K>(), false, x + o, y ? y + o : 0, gr ? gr + o : 0, step, step, C, C, v128.splat<i32>(0), e0, elements, state);
}

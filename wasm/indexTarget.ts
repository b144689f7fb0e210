// Cross-entropy with class-index targets, forward and backward fused per
// element: log_softmax, softmax, the nll and label-smoothing terms, and
// d(loss)/d(logits) = g − softmax·Σg where g = d(loss)/d(log p) is never stored
// (g[c] = −ss·w[c], plus −ns·w[t] at the target t). The arithmetic is that of
// core/compute/typescriptKernels.ts in T (f32 or f64), sums accumulated in f64.
//
// Pointers are byte offsets into memory; 0 means "absent". x: logits; target:
// i32 per element, < 0 when ignored; weight: C class weights; weightSum: Σ
// weight (C without); nllScale / smoothScale: T per element, the upstream
// gradients of the nll and smoothing terms (smoothScale 0: no smoothing);
// grad 0: forward only; nll: T per element; smooth: T per element, or 0 when
// the smoothing terms are not wanted.
import { sexp, vexp } from './exp';
import { fromLanes, hmax, hsum2, lane, lanes, laneSum, logT, setLane, toLanes, toLaneSums, widen } from './vec';

// @ts-ignore: decorator
@inline function weightAt<T>(weight: usize, c: i32): T {
  return weight ? load<T>(weight + (<usize>c) * sizeof<T>()) : <T>1;
}

/** Rows layout (N, C): element r's classes are contiguous; SIMD runs along the classes. */
export function indexTargetRows<T>(
  x0: usize, rows: i32, C: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize,
  logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize,
): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const vecEnd = C - (C % L);
  const withSmoothing = smooth != 0;
  // The common case (no weight, no smoothing) gets its own loop without those branches.
  const plain = !weight && !withSmoothing;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * <usize>C * B;
    const x = x0 + offset;
    const lp = logProbs + offset;
    const pr = probs + offset;
    const gr = grad + offset;
    const t = load<i32>(target + (<usize>r << 2));

    // Row maximum (NaN propagates).
    let vmax = v128.splat<T>(<T>-Infinity);
    for (let i = 0; i < vecEnd; i += L) vmax = v128.max<T>(vmax, v128.load(x + <usize>i * B));
    let m: T = hmax<T>(vmax);
    for (let i = vecEnd; i < C; i++) m = max<T>(m, load<T>(x + <usize>i * B));

    // exp(x − max) into probs, summed in f64.
    const vm = v128.splat<T>(m);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    for (let i = 0; i < vecEnd; i += L) {
      const e = vexp<T>(v128.sub<T>(v128.load(x + <usize>i * B), vm));
      v128.store(pr + <usize>i * B, e);
      acc0 = f64x2.add(acc0, widen<T>(e, 0));
      acc1 = f64x2.add(acc1, widen<T>(e, 1));
    }
    let tail: f64 = 0;
    for (let i = vecEnd; i < C; i++) {
      const e = sexp<T>(load<T>(x + <usize>i * B) - m);
      store<T>(pr + <usize>i * B, e);
      tail += <f64>e;
    }
    const sum = <T>(hsum2(acc0, acc1) + tail);
    const logSum = logT<T>(sum);
    const inv = <T>1 / sum;

    // Upstream gradients of this row; an ignored row gets none.
    const ns: T = t < 0 ? <T>0 : load<T>(nllScale + <usize>r * B);
    const ss: T = t < 0 || !smoothScale ? <T>0 : load<T>(smoothScale + <usize>r * B);
    const gt: T = t < 0 ? <T>0 : <T>(-ns * weightAt<T>(weight, t));
    const S = <T>(<f64>-ss * weightSum + <f64>gt); // Σ_c g[c]

    const vls = v128.splat<T>(logSum);
    const vinv = v128.splat<T>(inv);
    const vS = v128.splat<T>(S);
    const vnss = v128.splat<T>(-ss);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    if (plain && grad) {
      for (let i = 0; i < vecEnd; i += L) {
        const o = <usize>i * B;
        v128.store(lp + o, v128.sub<T>(v128.sub<T>(v128.load(x + o), vm), vls));
        const p = v128.mul<T>(v128.load(pr + o), vinv);
        v128.store(pr + o, p);
        v128.store(gr + o, v128.sub<T>(vnss, v128.mul<T>(p, vS)));
      }
    } else {
      for (let i = 0; i < vecEnd; i += L) {
        const o = <usize>i * B;
        const l = v128.sub<T>(v128.sub<T>(v128.load(x + o), vm), vls);
        v128.store(lp + o, l);
        const p = v128.mul<T>(v128.load(pr + o), vinv);
        v128.store(pr + o, p);
        const w = weight ? v128.load(weight + o) : v128.splat<T>(<T>1);
        if (withSmoothing) {
          const lw = weight ? v128.mul<T>(l, w) : l;
          s0 = f64x2.add(s0, widen<T>(lw, 0));
          s1 = f64x2.add(s1, widen<T>(lw, 1));
        }
        if (grad) v128.store(gr + o, v128.sub<T>(weight ? v128.mul<T>(vnss, w) : vnss, v128.mul<T>(p, vS)));
      }
    }
    let smoothTail: f64 = 0;
    for (let i = vecEnd; i < C; i++) {
      const o = <usize>i * B;
      const l: T = load<T>(x + o) - m - logSum;
      store<T>(lp + o, l);
      const p: T = load<T>(pr + o) * inv;
      store<T>(pr + o, p);
      const w = weightAt<T>(weight, i);
      if (withSmoothing) smoothTail += <f64>(l * w);
      if (grad) store<T>(gr + o, -ss * w - p * S);
    }

    const at = <usize>r * B;
    if (t < 0) {
      store<T>(nll + at, <T>0);
      if (withSmoothing) store<T>(smooth + at, <T>0);
      continue;
    }
    const wt = weightAt<T>(weight, t);
    store<T>(nll + at, -load<T>(lp + <usize>t * B) * wt);
    if (withSmoothing) store<T>(smooth + at, <T>-(hsum2(s0, s1) + smoothTail));
    if (grad) store<T>(gr + <usize>t * B, -ss * wt + gt - load<T>(pr + <usize>t * B) * S);
  }
}

/**
 * One element whose classes sit `stride` bytes apart, in scalar code (the
 * positions left over when the spatial size is not a multiple of the lanes).
 */
function indexTargetElement<T>(
  x: usize, stride: usize, C: i32, t: i32, weight: usize, weightSum: f64, ns: T, ss: T, withSmoothing: bool,
  lp: usize, pr: usize, gr: usize, nllAt: usize, smoothAt: usize,
): void {
  let m: T = <T>-Infinity;
  for (let c = 0; c < C; c++) m = max<T>(m, load<T>(x + <usize>c * stride));
  let sum: f64 = 0;
  for (let c = 0; c < C; c++) {
    const e = sexp<T>(load<T>(x + <usize>c * stride) - m);
    store<T>(pr + <usize>c * stride, e);
    sum += <f64>e;
  }
  const sumT = <T>sum;
  const logSum = logT<T>(sumT);
  const inv = <T>1 / sumT;
  if (t < 0) {
    ns = <T>0;
    ss = <T>0;
  }
  const gt: T = t < 0 ? <T>0 : <T>(-ns * weightAt<T>(weight, t));
  const S = <T>(<f64>-ss * weightSum + <f64>gt);
  let smoothSum: f64 = 0;
  for (let c = 0; c < C; c++) {
    const o = <usize>c * stride;
    const l: T = load<T>(x + o) - m - logSum;
    store<T>(lp + o, l);
    const p: T = load<T>(pr + o) * inv;
    store<T>(pr + o, p);
    const w = weightAt<T>(weight, c);
    if (withSmoothing) smoothSum += <f64>(l * w);
    if (gr) store<T>(gr + o, -ss * w - p * S);
  }
  if (t < 0) {
    store<T>(nllAt, <T>0);
    if (withSmoothing) store<T>(smoothAt, <T>0);
    return;
  }
  const wt = weightAt<T>(weight, t);
  const o = <usize>t * stride;
  store<T>(nllAt, -load<T>(lp + o) * wt);
  if (withSmoothing) store<T>(smoothAt, <T>-smoothSum);
  if (gr) store<T>(gr + o, -ss * wt + gt - load<T>(pr + o) * S);
}

/**
 * Spatial layout (N, C, d1..dk) with inner = d1·…·dk > 1: an element's classes
 * sit inner apart, neighbouring positions are contiguous, so SIMD runs across
 * positions (one element per lane).
 */
export function indexTargetLanes<T>(
  x0: usize, outer: i32, C: i32, inner: i32, rowStride: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize,
  logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize,
): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const stride = <usize>rowStride * B; // classes sit rowStride ≥ inner apart (padded so rows do not alias in cache)
  const vecEnd = inner - (inner % L);
  const withSmoothing = smooth != 0;
  for (let o = 0; o < outer; o++) {
    const block = <usize>o * <usize>C * stride;
    for (let s = 0; s < vecEnd; s += L) {
      const base = block + <usize>s * B;
      const e0 = <usize>o * <usize>inner + <usize>s; // first element of these lanes
      const x = x0 + base;
      const lp = logProbs + base;
      const pr = probs + base;
      const gr = grad + base;

      let vmax = v128.splat<T>(<T>-Infinity);
      for (let c = 0; c < C; c++) vmax = v128.max<T>(vmax, v128.load(x + <usize>c * stride));
      let acc0 = f64x2.splat(0);
      let acc1 = f64x2.splat(0);
      for (let c = 0; c < C; c++) {
        const e = vexp<T>(v128.sub<T>(v128.load(x + <usize>c * stride), vmax));
        v128.store(pr + <usize>c * stride, e);
        acc0 = f64x2.add(acc0, widen<T>(e, 0));
        acc1 = f64x2.add(acc1, widen<T>(e, 1));
      }
      // Per lane: the sum, its log, and the row's upstream gradients.
      toLaneSums(acc0, acc1);
      for (let j = 0; j < L; j++) setLane<T>(j, <T>laneSum(j));
      const vsum = fromLanes();
      for (let j = 0; j < L; j++) setLane<T>(j, logT<T>(<T>laneSum(j)));
      const vls = fromLanes();
      const vinv = v128.div<T>(v128.splat<T>(<T>1), vsum);
      for (let j = 0; j < L; j++) {
        const t = load<i32>(target + ((e0 + j) << 2));
        setLane<T>(j, t < 0 || !smoothScale ? <T>0 : -load<T>(smoothScale + (e0 + j) * B));
      }
      const vnss = fromLanes();
      for (let j = 0; j < L; j++) {
        const t = load<i32>(target + ((e0 + j) << 2));
        const gt: T = t < 0 ? <T>0 : -load<T>(nllScale + (e0 + j) * B) * weightAt<T>(weight, t);
        setLane<T>(j, <T>(<f64>(t < 0 || !smoothScale ? <T>0 : -load<T>(smoothScale + (e0 + j) * B)) * weightSum + <f64>gt));
      }
      const vS = fromLanes();

      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      for (let c = 0; c < C; c++) {
        const oc = <usize>c * stride;
        const l = v128.sub<T>(v128.sub<T>(v128.load(x + oc), vmax), vls);
        v128.store(lp + oc, l);
        const p = v128.mul<T>(v128.load(pr + oc), vinv);
        v128.store(pr + oc, p);
        const w: T = weightAt<T>(weight, c);
        if (withSmoothing) {
          const lw = v128.mul<T>(l, v128.splat<T>(w));
          s0 = f64x2.add(s0, widen<T>(lw, 0));
          s1 = f64x2.add(s1, widen<T>(lw, 1));
        }
        if (grad) v128.store(gr + oc, v128.sub<T>(v128.mul<T>(vnss, v128.splat<T>(w)), v128.mul<T>(p, vS)));
      }
      toLaneSums(s0, s1);
      toLanes(vS);
      for (let j = 0; j < L; j++) {
        const e = e0 + j;
        const t = load<i32>(target + (e << 2));
        if (t < 0) {
          store<T>(nll + e * B, <T>0);
          if (withSmoothing) store<T>(smooth + e * B, <T>0);
          continue;
        }
        const wt = weightAt<T>(weight, t);
        const at = <usize>t * stride + <usize>j * B;
        store<T>(nll + e * B, -load<T>(lp + at) * wt);
        if (withSmoothing) store<T>(smooth + e * B, <T>-laneSum(j));
        if (grad) {
          const ss: T = smoothScale ? load<T>(smoothScale + e * B) : <T>0;
          const gt: T = -load<T>(nllScale + e * B) * wt;
          store<T>(gr + at, -ss * wt + gt - load<T>(pr + at) * lane<T>(j));
        }
      }
    }
    for (let s = vecEnd; s < inner; s++) {
      const e = <usize>o * <usize>inner + <usize>s;
      const t = load<i32>(target + (e << 2));
      const at = block + <usize>s * B;
      indexTargetElement<T>(
        x0 + at, stride, C, t, weight, weightSum,
        load<T>(nllScale + e * B), smoothScale ? load<T>(smoothScale + e * B) : <T>0, withSmoothing,
        logProbs + at, probs + at, grad ? grad + at : 0, nll + e * B, smooth + e * B,
      );
    }
  }
}

// Cross-entropy with probability targets y, forward and backward fused per
// element: log_softmax, softmax, loss = −Σ_c w[c]·y'[c]·log p[c] and
// d(loss)/d(logits) = g − softmax·Σg with g[c] = −scale·y'[c]·w[c], where
// y' = y·keep + spread when smoothing (else y). Arithmetic as in
// core/compute/typescriptKernels.ts, in T, sums accumulated in f64.
//
// Pointers are byte offsets into memory; 0 means "absent". y has x's layout;
// scale: T per element (the upstream gradient of its loss); grad 0: forward
// only; loss: T per element.
import { sexp, vexp } from './exp';
import { fromLanes, hmax, hsum2, lanes, laneSum, logT, setLane, toLaneSums, widen } from './vec';

// @ts-ignore: decorator
@inline function weightAt<T>(weight: usize, c: i32): T {
  return weight ? load<T>(weight + (<usize>c) * sizeof<T>()) : <T>1;
}

/** Rows layout (N, C): SIMD along the classes. */
export function probTargetRows<T>(
  x0: usize, y0: usize, rows: i32, C: i32, smoothing: bool, keep: T, spread: T, weight: usize, scale: usize,
  logProbs: usize, probs: usize, grad: usize, loss: usize,
): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const vecEnd = C - (C % L);
  const vkeep = v128.splat<T>(keep);
  const vspread = v128.splat<T>(spread);
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * <usize>C * B;
    const x = x0 + offset;
    const y = y0 + offset;
    const lp = logProbs + offset;
    const pr = probs + offset;
    const gr = grad + offset;

    let vmax = v128.splat<T>(<T>-Infinity);
    for (let i = 0; i < vecEnd; i += L) vmax = v128.max<T>(vmax, v128.load(x + <usize>i * B));
    let m: T = hmax<T>(vmax);
    for (let i = vecEnd; i < C; i++) m = max<T>(m, load<T>(x + <usize>i * B));

    // exp(x − max) into probs; Σ exp and Σ y'·w in f64.
    const vm = v128.splat<T>(m);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let yw0 = f64x2.splat(0);
    let yw1 = f64x2.splat(0);
    for (let i = 0; i < vecEnd; i += L) {
      const o = <usize>i * B;
      const e = vexp<T>(v128.sub<T>(v128.load(x + o), vm));
      v128.store(pr + o, e);
      acc0 = f64x2.add(acc0, widen<T>(e, 0));
      acc1 = f64x2.add(acc1, widen<T>(e, 1));
      let yv = v128.load(y + o);
      if (smoothing) yv = v128.add<T>(v128.mul<T>(yv, vkeep), vspread);
      if (weight) yv = v128.mul<T>(yv, v128.load(weight + o));
      yw0 = f64x2.add(yw0, widen<T>(yv, 0));
      yw1 = f64x2.add(yw1, widen<T>(yv, 1));
    }
    let sum: f64 = hsum2(acc0, acc1);
    let yw: f64 = hsum2(yw0, yw1);
    for (let i = vecEnd; i < C; i++) {
      const o = <usize>i * B;
      const e = sexp<T>(load<T>(x + o) - m);
      store<T>(pr + o, e);
      sum += <f64>e;
      let yv = load<T>(y + o);
      if (smoothing) yv = yv * keep + spread;
      yw += <f64>(yv * weightAt<T>(weight, i));
    }
    const sumT = <T>sum;
    const logSum = logT<T>(sumT);
    const inv = <T>1 / sumT;
    const ns: T = -load<T>(scale + <usize>r * B);
    const S = <T>(<f64>ns * yw); // Σ_c g[c]

    const vls = v128.splat<T>(logSum);
    const vinv = v128.splat<T>(inv);
    const vS = v128.splat<T>(S);
    const vns = v128.splat<T>(ns);
    let l0 = f64x2.splat(0);
    let l1 = f64x2.splat(0);
    for (let i = 0; i < vecEnd; i += L) {
      const o = <usize>i * B;
      const l = v128.sub<T>(v128.sub<T>(v128.load(x + o), vm), vls);
      v128.store(lp + o, l);
      const p = v128.mul<T>(v128.load(pr + o), vinv);
      v128.store(pr + o, p);
      let yv = v128.load(y + o);
      if (smoothing) yv = v128.add<T>(v128.mul<T>(yv, vkeep), vspread);
      const w = weight ? v128.load(weight + o) : v128.splat<T>(<T>1);
      const ly = weight ? v128.mul<T>(v128.mul<T>(l, yv), w) : v128.mul<T>(l, yv);
      l0 = f64x2.add(l0, widen<T>(ly, 0));
      l1 = f64x2.add(l1, widen<T>(ly, 1));
      if (grad) {
        const g = weight ? v128.mul<T>(v128.mul<T>(vns, yv), w) : v128.mul<T>(vns, yv);
        v128.store(gr + o, v128.sub<T>(g, v128.mul<T>(p, vS)));
      }
    }
    let lossSum: f64 = hsum2(l0, l1);
    for (let i = vecEnd; i < C; i++) {
      const o = <usize>i * B;
      const l: T = load<T>(x + o) - m - logSum;
      store<T>(lp + o, l);
      const p: T = load<T>(pr + o) * inv;
      store<T>(pr + o, p);
      let yv = load<T>(y + o);
      if (smoothing) yv = yv * keep + spread;
      const w = weightAt<T>(weight, i);
      lossSum += <f64>(l * yv * w);
      if (grad) store<T>(gr + o, ns * yv * w - p * S);
    }
    store<T>(loss + <usize>r * B, <T>-lossSum);
  }
}

/** Spatial layout (N, C, d1..dk), inner > 1: SIMD across positions, one element per lane; leftover positions in scalar code. */
export function probTargetLanes<T>(
  x0: usize, y0: usize, outer: i32, C: i32, inner: i32, rowStride: i32, smoothing: bool, keep: T, spread: T, weight: usize, scale: usize,
  logProbs: usize, probs: usize, grad: usize, loss: usize,
): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const stride = <usize>rowStride * B; // classes sit rowStride ≥ inner apart (padded so rows do not alias in cache)
  const vecEnd = inner - (inner % L);
  const vkeep = v128.splat<T>(keep);
  const vspread = v128.splat<T>(spread);
  for (let o = 0; o < outer; o++) {
    const block = <usize>o * <usize>C * stride;
    for (let s = 0; s < vecEnd; s += L) {
      const base = block + <usize>s * B;
      const e0 = <usize>o * <usize>inner + <usize>s;
      const x = x0 + base;
      const y = y0 + base;
      const lp = logProbs + base;
      const pr = probs + base;
      const gr = grad + base;

      let vmax = v128.splat<T>(<T>-Infinity);
      for (let c = 0; c < C; c++) vmax = v128.max<T>(vmax, v128.load(x + <usize>c * stride));
      let acc0 = f64x2.splat(0);
      let acc1 = f64x2.splat(0);
      let yw0 = f64x2.splat(0);
      let yw1 = f64x2.splat(0);
      for (let c = 0; c < C; c++) {
        const oc = <usize>c * stride;
        const e = vexp<T>(v128.sub<T>(v128.load(x + oc), vmax));
        v128.store(pr + oc, e);
        acc0 = f64x2.add(acc0, widen<T>(e, 0));
        acc1 = f64x2.add(acc1, widen<T>(e, 1));
        let yv = v128.load(y + oc);
        if (smoothing) yv = v128.add<T>(v128.mul<T>(yv, vkeep), vspread);
        yv = v128.mul<T>(yv, v128.splat<T>(weightAt<T>(weight, c)));
        yw0 = f64x2.add(yw0, widen<T>(yv, 0));
        yw1 = f64x2.add(yw1, widen<T>(yv, 1));
      }
      toLaneSums(acc0, acc1);
      for (let j = 0; j < L; j++) setLane<T>(j, <T>laneSum(j));
      const vsum = fromLanes();
      for (let j = 0; j < L; j++) setLane<T>(j, logT<T>(<T>laneSum(j)));
      const vls = fromLanes();
      const vinv = v128.div<T>(v128.splat<T>(<T>1), vsum);
      for (let j = 0; j < L; j++) setLane<T>(j, -load<T>(scale + (e0 + <usize>j) * B));
      const vns = fromLanes();
      toLaneSums(yw0, yw1);
      for (let j = 0; j < L; j++) setLane<T>(j, <T>(<f64>-load<T>(scale + (e0 + <usize>j) * B) * laneSum(j)));
      const vS = fromLanes();

      let l0 = f64x2.splat(0);
      let l1 = f64x2.splat(0);
      for (let c = 0; c < C; c++) {
        const oc = <usize>c * stride;
        const l = v128.sub<T>(v128.sub<T>(v128.load(x + oc), vmax), vls);
        v128.store(lp + oc, l);
        const p = v128.mul<T>(v128.load(pr + oc), vinv);
        v128.store(pr + oc, p);
        let yv = v128.load(y + oc);
        if (smoothing) yv = v128.add<T>(v128.mul<T>(yv, vkeep), vspread);
        const w = v128.splat<T>(weightAt<T>(weight, c));
        const ly = v128.mul<T>(v128.mul<T>(l, yv), w);
        l0 = f64x2.add(l0, widen<T>(ly, 0));
        l1 = f64x2.add(l1, widen<T>(ly, 1));
        if (grad) v128.store(gr + oc, v128.sub<T>(v128.mul<T>(v128.mul<T>(vns, yv), w), v128.mul<T>(p, vS)));
      }
      toLaneSums(l0, l1);
      for (let j = 0; j < L; j++) store<T>(loss + (e0 + <usize>j) * B, <T>-laneSum(j));
    }
    // Leftover positions: one lane's worth each, with the rows kernel's scalar arithmetic on a strided element.
    for (let s = vecEnd; s < inner; s++) {
      const e = <usize>o * <usize>inner + <usize>s;
      const at = block + <usize>s * B;
      let m: T = <T>-Infinity;
      for (let c = 0; c < C; c++) m = max<T>(m, load<T>(x0 + at + <usize>c * stride));
      let sum: f64 = 0;
      let yw: f64 = 0;
      for (let c = 0; c < C; c++) {
        const oc = at + <usize>c * stride;
        const ex = sexp<T>(load<T>(x0 + oc) - m);
        store<T>(probs + oc, ex);
        sum += <f64>ex;
        let yv = load<T>(y0 + oc);
        if (smoothing) yv = yv * keep + spread;
        yw += <f64>(yv * weightAt<T>(weight, c));
      }
      const sumT = <T>sum;
      const logSum = logT<T>(sumT);
      const inv = <T>1 / sumT;
      const ns: T = -load<T>(scale + e * B);
      const S = <T>(<f64>ns * yw);
      let lossSum: f64 = 0;
      for (let c = 0; c < C; c++) {
        const oc = at + <usize>c * stride;
        const l: T = load<T>(x0 + oc) - m - logSum;
        store<T>(logProbs + oc, l);
        const p: T = load<T>(probs + oc) * inv;
        store<T>(probs + oc, p);
        let yv = load<T>(y0 + oc);
        if (smoothing) yv = yv * keep + spread;
        const w = weightAt<T>(weight, c);
        lossSum += <f64>(l * yv * w);
        if (grad) store<T>(grad + oc, ns * yv * w - p * S);
      }
      store<T>(loss + e * B, <T>-lossSum);
    }
  }
}

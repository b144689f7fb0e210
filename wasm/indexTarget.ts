// Cross-entropy with class-index targets, forward and backward in one pass
// per row: log_softmax, softmax, the nll and label-smoothing terms, and
// d(loss)/d(logits) = g − softmax·Σg where g = d(loss)/d(log p), never stored.
// Same arithmetic as core/kernels/typescriptKernels.ts, in T (f32 or f64),
// with sums accumulated in f64.
import { vexp, sexp } from './exp';
import { hmax, hsum2, lanes, logT, widen } from './vec';

// @ts-ignore: decorator
@inline function weightAt<T>(weight: usize, c: i32): T {
  return weight ? load<T>(weight + (<usize>c) * sizeof<T>()) : <T>1;
}

/**
 * Pointers into memory (0: absent). x: N·C logits, rows contiguous; target: i32
 * per row, < 0 when ignored; weight: C class weights; weightSum: Σ weight (C
 * without); nllScale / smoothScale: T per row, the upstream gradients of the nll
 * and smoothing terms (smoothScale 0: no smoothing); grad 0: forward only;
 * nll / smooth: T per row.
 */
export function indexTargetRows<T>(
  x0: usize, rows: i32, C: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize,
  logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize,
): void {
  const B = <usize>sizeof<T>();
  const L = lanes<T>();
  const vecEnd = C - (C % L);
  const withSmoothing = smoothScale != 0;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * <usize>C * B;
    const x = x0 + offset;
    const lp = logProbs + offset;
    const pr = probs + offset;
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

    // Upstream gradients of this row; an ignored row gets none.
    const ns: T = t < 0 ? <T>0 : load<T>(nllScale + <usize>r * B);
    const ss: T = t < 0 || !withSmoothing ? <T>0 : load<T>(smoothScale + <usize>r * B);
    // g[c] = −ss·w[c], plus −ns·w[t] at the target; S = Σ_c g[c].
    const gt: T = t < 0 ? <T>0 : <T>(-ns * weightAt<T>(weight, t));
    const S = <T>(<f64>-ss * weightSum + <f64>gt);

    const vls = v128.splat<T>(logSum);
    const vsum = v128.splat<T>(sum);
    const vS = v128.splat<T>(S);
    const vnss = v128.splat<T>(-ss);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (let i = 0; i < vecEnd; i += L) {
      const o = <usize>i * B;
      const l = v128.sub<T>(v128.sub<T>(v128.load(x + o), vm), vls);
      v128.store(lp + o, l);
      const p = v128.div<T>(v128.load(pr + o), vsum);
      v128.store(pr + o, p);
      const w = weight ? v128.load(weight + o) : v128.splat<T>(<T>1);
      if (withSmoothing) {
        const lw = weight ? v128.mul<T>(l, w) : l;
        s0 = f64x2.add(s0, widen<T>(lw, 0));
        s1 = f64x2.add(s1, widen<T>(lw, 1));
      }
      if (grad) {
        const g = weight ? v128.mul<T>(vnss, w) : vnss;
        v128.store(grad + offset + o, v128.sub<T>(g, v128.mul<T>(p, vS)));
      }
    }
    let smoothTail: f64 = 0;
    for (let i = vecEnd; i < C; i++) {
      const o = <usize>i * B;
      const l: T = load<T>(x + o) - m - logSum;
      store<T>(lp + o, l);
      const p: T = load<T>(pr + o) / sum;
      store<T>(pr + o, p);
      const w = weightAt<T>(weight, i);
      if (withSmoothing) smoothTail += <f64>(l * w);
      if (grad) store<T>(grad + offset + o, -ss * w - p * S);
    }

    const nllAt = nll + <usize>r * B;
    if (t < 0) {
      store<T>(nllAt, <T>0);
      if (withSmoothing) store<T>(smooth + <usize>r * B, <T>0);
      continue;
    }
    const wt = weightAt<T>(weight, t);
    store<T>(nllAt, -load<T>(lp + <usize>t * B) * wt);
    if (withSmoothing) store<T>(smooth + <usize>r * B, <T>-(hsum2(s0, s1) + smoothTail));
    if (grad) {
      const at = grad + offset + <usize>t * B;
      store<T>(at, (-ss * wt + gt) - load<T>(pr + <usize>t * B) * S);
    }
  }
}

// The WebAssembly SIMD kernel set's exports (compiled by scripts/build-wasm.mjs),
// one per kernel and dtype. Callers lay their buffers out in this module's
// memory from heapBase() on; pointers are byte offsets, 0 meaning "absent".
import { vexp } from './exp';
import { indexTargetLanes, indexTargetRows } from './indexTarget';
import { probTargetLanes, probTargetRows } from './probTarget';
import { logT } from './vec';

/** First free byte after the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

export function indexTargetRowsF32(x: usize, rows: i32, classes: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize, logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize): void {
  indexTargetRows<f32>(x, rows, classes, target, weight, weightSum, nllScale, smoothScale, logProbs, probs, grad, nll, smooth);
}

export function indexTargetRowsF64(x: usize, rows: i32, classes: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize, logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize): void {
  indexTargetRows<f64>(x, rows, classes, target, weight, weightSum, nllScale, smoothScale, logProbs, probs, grad, nll, smooth);
}

export function indexTargetLanesF32(x: usize, outer: i32, classes: i32, inner: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize, logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize): void {
  indexTargetLanes<f32>(x, outer, classes, inner, target, weight, weightSum, nllScale, smoothScale, logProbs, probs, grad, nll, smooth);
}

export function indexTargetLanesF64(x: usize, outer: i32, classes: i32, inner: i32, target: usize, weight: usize, weightSum: f64, nllScale: usize, smoothScale: usize, logProbs: usize, probs: usize, grad: usize, nll: usize, smooth: usize): void {
  indexTargetLanes<f64>(x, outer, classes, inner, target, weight, weightSum, nllScale, smoothScale, logProbs, probs, grad, nll, smooth);
}

export function probTargetRowsF32(x: usize, y: usize, rows: i32, classes: i32, smoothing: bool, keep: f64, spread: f64, weight: usize, scale: usize, logProbs: usize, probs: usize, grad: usize, loss: usize): void {
  probTargetRows<f32>(x, y, rows, classes, smoothing, <f32>keep, <f32>spread, weight, scale, logProbs, probs, grad, loss);
}

export function probTargetRowsF64(x: usize, y: usize, rows: i32, classes: i32, smoothing: bool, keep: f64, spread: f64, weight: usize, scale: usize, logProbs: usize, probs: usize, grad: usize, loss: usize): void {
  probTargetRows<f64>(x, y, rows, classes, smoothing, keep, spread, weight, scale, logProbs, probs, grad, loss);
}

export function probTargetLanesF32(x: usize, y: usize, outer: i32, classes: i32, inner: i32, smoothing: bool, keep: f64, spread: f64, weight: usize, scale: usize, logProbs: usize, probs: usize, grad: usize, loss: usize): void {
  probTargetLanes<f32>(x, y, outer, classes, inner, smoothing, <f32>keep, <f32>spread, weight, scale, logProbs, probs, grad, loss);
}

export function probTargetLanesF64(x: usize, y: usize, outer: i32, classes: i32, inner: i32, smoothing: bool, keep: f64, spread: f64, weight: usize, scale: usize, logProbs: usize, probs: usize, grad: usize, loss: usize): void {
  probTargetLanes<f64>(x, y, outer, classes, inner, smoothing, keep, spread, weight, scale, logProbs, probs, grad, loss);
}

// exp and log of n values (n a multiple of the lane count), for the accuracy tests.
export function expF32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(out + (<usize>i << 2), vexp<f32>(v128.load(x + (<usize>i << 2))));
}

export function expF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(out + (<usize>i << 3), vexp<f64>(v128.load(x + (<usize>i << 3))));
}

export function logF32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), logT<f32>(load<f32>(x + (<usize>i << 2))));
}

export function logF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), logT<f64>(load<f64>(x + (<usize>i << 3))));
}

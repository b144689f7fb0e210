// The WebAssembly SIMD kernel set. A loss call runs in chunks of whole outer
// blocks (rows, or (C, d1..dk) blocks): each chunk's inputs are copied into the
// module's memory, the fused kernel (wasm/loss.ts) runs, its outputs are copied
// back into the caller's buffers. Chunks keep the module's memory small whatever
// N is, and keep a chunk's buffers in cache between the copy in, the kernel and
// the copy out.
import type { Dtype } from '../results';
import { newFloatArray, type FloatArray, type IndexTargetCall, type KernelSet, type ProbTargetCall } from './kernelSet';
import type { ClassLayout } from './layout';
import { typescriptKernels } from './typescriptKernels';
import { bytesPer, placeCall } from './wasmArena';
import { wasmTrainArena } from './wasmTrainKernels';
import type { WasmKernelExports } from './wasmModule';

/** Logit bytes per chunk: with log p and the gradient it stays within a core's L2 cache. */
const CHUNK_BYTES = 1 << 17;

/** Class-index target values per chunk (256 KB of float64). */
const TARGET_CHUNK = 1 << 15;

/** What both target kinds hand the kernel: per-value buffers (N·C·inner), per-element ones (N·inner). */
interface LossJob {
  dtype: Dtype;
  layout: ClassLayout;
  x: FloatArray;
  y: FloatArray | null;
  target: Int32Array | null;
  weight: FloatArray | null;
  scale: FloatArray;
  smoothScale: FloatArray | null;
  shift: FloatArray;
  logSum: FloatArray;
  grad: FloatArray | null;
  nll: FloatArray | null;
  sum: FloatArray | null;
  smoothing: { keep: number; spread: number } | null;
}

/** The L1 data cache the row layout is chosen for: 64 sets of 64-byte lines, 12 ways (48 KB; recent x86 cores). */
const CACHE = { sets: 64, line: 64, ways: 12 };

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Distance between an element's classes in wasm memory: inner, so a chunk is one
 * copy, unless a spatial layout needs one cache line more. It does when a group's
 * lanes would run past the last position (the line holds those garbage lanes), and
 * when rows a multiple of 128 bytes apart would put a group's C class rows of
 * logits and of the gradient into a few cache sets (4 or fewer for multiples of
 * 1 KB), more than half fill them, and evict each other: the extra line spreads
 * them over every set.
 */
function rowStrideOf(L: ClassLayout, dtype: Dtype): number {
  if (L.inner === 1) return 1;
  const B = bytesPer(dtype);
  const bytes = L.inner * B;
  const sets = bytes % CACHE.line === 0 ? CACHE.sets / gcd(bytes / CACHE.line, CACHE.sets) : CACHE.sets;
  const crowded = sets < CACHE.sets && 2 * L.classes > (sets * CACHE.ways) / 2;
  return L.inner % (16 / B) !== 0 || crowded ? L.inner + CACHE.line / B : L.inner;
}

/** Copies the (C, inner) blocks [b0, b1) of `from` to the start of wasm memory `to`, class rows rowStride apart. */
function copyIn(
  to: FloatArray | Int32Array | null,
  from: FloatArray | Int32Array | null,
  b0: number,
  b1: number,
  rows: number,
  inner: number,
  rowStride: number,
): void {
  if (!to || !from) return;
  if (rowStride === inner) return to.set(from.subarray(b0 * rows * inner, b1 * rows * inner));
  for (let row = b0 * rows, at = 0; row < b1 * rows; row++, at += rowStride) to.set(from.subarray(row * inner, (row + 1) * inner), at);
}

/** The reverse of copyIn. */
function copyOut(from: FloatArray | null, to: FloatArray | null, b0: number, b1: number, rows: number, inner: number, rowStride: number): void {
  if (!to || !from) return;
  if (rowStride === inner) return to.set(from.subarray(0, (b1 - b0) * rows * inner), b0 * rows * inner);
  for (let row = b0 * rows, at = 0; row < b1 * rows; row++, at += rowStride) to.set(from.subarray(at, at + inner), row * inner);
}

/**
 * The weights as the kernel reads them, one v128 per class vector: rows, the C
 * weights padded with zeros to whole vectors; spatial, each weight in every lane.
 */
function weightTable(weight: FloatArray, L: ClassLayout, dtype: Dtype): FloatArray {
  const lanes = 16 / bytesPer(dtype);
  const table = newFloatArray(dtype, Math.ceil(weight.length / lanes) * lanes * (L.inner === 1 ? 1 : lanes));
  if (L.inner === 1) table.set(weight);
  else weight.forEach((w, c) => table.fill(w, c * lanes, (c + 1) * lanes));
  return table;
}

/**
 * Calls with fewer logits than this run on the TypeScript kernels: for a handful
 * of values, placing buffers in the module's memory costs more than the
 * arithmetic. Tests set it to 0 so every golden case reaches the WebAssembly code.
 */
export const wasmSmallCalls = { typescriptBelow: 256 };

/** `fresh` gives a new instance of the module, with a memory of its own, for each training arena. */
export function wasmKernels(wasm: WasmKernelExports, fresh: () => WasmKernelExports): KernelSet {
  function run(k: LossJob): void {
    const { dtype, layout: L } = k;
    const B = bytesPer(dtype);
    const rowStride = rowStrideOf(L, dtype);
    const blockValues = L.classes * rowStride;
    const blocks = Math.max(1, Math.min(L.outer, Math.floor(CHUNK_BYTES / (blockValues * B))));
    const values = blocks * blockValues;
    const elements = blocks * L.inner;
    const weight = k.weight && weightTable(k.weight, L, dtype);
    let weightSum = k.weight ? 0 : L.classes;
    for (const w of k.weight ?? []) weightSum += w;
    // Without a gradient the exps wait in scratch memory ('exps'). 32 bytes of slack each for the kernel's whole-vector tails.
    const call = placeCall(
      wasm,
      'loss',
      dtype,
      {
        x: values,
        y: k.y ? values : 0,
        target: k.target ? elements : 0,
        weight: weight?.length ?? 0,
        scale: elements,
        smoothScale: k.smoothScale ? elements : 0,
        shift: elements,
        logSum: elements,
        grad: k.grad ? values : 0,
        nll: k.nll ? elements : 0,
        sum: k.sum ? elements : 0,
        exps: k.grad ? 0 : values,
      },
      {
        outer: 0, // each chunk's, set below
        classes: L.classes,
        inner: L.inner,
        rowStride,
        weightSum,
        smoothing: k.smoothing ? 1 : 0,
        keep: k.smoothing?.keep ?? 1,
        spread: k.smoothing?.spread ?? 0,
      },
      32,
    );
    const [x, y, scale, smoothScale, shift, logSum, grad, nll, sum] = (
      ['x', 'y', 'scale', 'smoothScale', 'shift', 'logSum', 'grad', 'nll', 'sum'] as const
    ).map((name) => call.float(name));
    const target = call.int32('target');
    if (weight) call.float('weight')?.set(weight);
    for (let b0 = 0; b0 < L.outer; b0 += blocks) {
      const b1 = Math.min(L.outer, b0 + blocks);
      copyIn(x, k.x, b0, b1, L.classes, L.inner, rowStride);
      copyIn(y, k.y, b0, b1, L.classes, L.inner, rowStride);
      copyIn(target, k.target, b0, b1, 1, L.inner, L.inner);
      copyIn(scale, k.scale, b0, b1, 1, L.inner, L.inner);
      copyIn(smoothScale, k.smoothScale, b0, b1, 1, L.inner, L.inner);
      call.set('outer', b1 - b0);
      call.run();
      copyOut(shift, k.shift, b0, b1, 1, L.inner, L.inner);
      copyOut(logSum, k.logSum, b0, b1, 1, L.inner, L.inner);
      copyOut(grad, k.grad, b0, b1, L.classes, L.inner, rowStride);
      copyOut(nll, k.nll, b0, b1, 1, L.inner, L.inner);
      copyOut(sum, k.sum, b0, b1, 1, L.inner, L.inner);
    }
  }

  /** Whole vectors of four in the module (a chunk at a time), the last one to three values in TypeScript. */
  function classIndices(values: FloatArray, classes: number, ignoreIndex: number, out: Int32Array): number {
    const whole = values.length - (values.length % 4);
    if (!(values instanceof Float64Array) || values.length < wasmSmallCalls.typescriptBelow) {
      return typescriptKernels.classIndices(values, classes, ignoreIndex, out);
    }
    const chunk = Math.min(whole, TARGET_CHUNK);
    const call = placeCall(wasm, 'classIndices', 'float64', { values: chunk, out: chunk, result: 1 }, { n: chunk, classes, ignoreIndex });
    let ignored = typescriptKernels.classIndices(values.subarray(whole), classes, ignoreIndex, out.subarray(whole));
    for (let i0 = 0; i0 < whole && ignored >= 0; i0 += chunk) {
      const n = Math.min(chunk, whole - i0);
      call.float('values')!.set(values.subarray(i0, i0 + n));
      call.set('n', n);
      call.run();
      const count = call.float('result')![0];
      out.set(call.int32('out')!.subarray(0, n), i0);
      ignored = count < 0 ? -1 : ignored + count;
    }
    return ignored;
  }

  function indexTarget(k: IndexTargetCall): void {
    if (k.x.length < wasmSmallCalls.typescriptBelow) return typescriptKernels.indexTarget(k);
    run({ ...k, y: null, scale: k.nllScale, sum: k.smooth, smoothing: null });
  }

  function probTarget(k: ProbTargetCall): void {
    if (k.x.length < wasmSmallCalls.typescriptBelow) return typescriptKernels.probTarget(k);
    run({ ...k, target: null, smoothScale: null, nll: null, sum: k.loss });
  }

  return { name: 'wasm-simd', classIndices, indexTarget, probTarget, trainArena: (dtype, length) => wasmTrainArena(fresh(), dtype, length) };
}

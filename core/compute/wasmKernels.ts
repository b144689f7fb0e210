// The WebAssembly SIMD kernel set. A call runs in chunks of whole outer blocks
// (rows, or (C, d1..dk) blocks): each chunk's inputs are copied into the module's
// memory, the fused kernel runs, its outputs are copied back into the caller's
// buffers. Chunks keep the module's memory small whatever N is, and keep a
// chunk's buffers in cache between the copy in, the kernel and the copy out.
import type { Dtype } from '../results';
import type { FloatArray, IndexTargetCall, KernelSet, ProbTargetCall } from './kernelSet';
import type { ClassLayout } from './layout';
import { typescriptKernels } from './typescriptKernels';
import { bytesPer, place, viewAt } from './wasmArena';
import { wasmTrainArena } from './wasmTrainKernels';
import type { WasmKernelExports } from './wasmModule';

/** Logit bytes per chunk: with log p, p and the gradient it stays within a core's L2 cache. */
const CHUNK_BYTES = 1 << 17;

interface Chunking {
  /** Outer blocks per chunk; values per block in wasm memory (C·rowStride); elements per block (inner). */
  blocks: number;
  blockValues: number;
  blockElements: number;
  /**
   * Distance between an element's classes in wasm memory. For spatial layouts it is
   * inner plus one cache line: strides that are multiples of 4 KB (64 × 64 positions)
   * would put every class row in the same cache set and evict each other.
   */
  rowStride: number;
}

function chunking(L: ClassLayout, dtype: Dtype): Chunking {
  const rowStride = L.inner === 1 ? 1 : L.inner + 64 / bytesPer(dtype);
  const blockValues = L.classes * rowStride;
  const blocks = Math.max(1, Math.min(L.outer, Math.floor(CHUNK_BYTES / (blockValues * bytesPer(dtype)))));
  return { blocks, blockValues, blockElements: L.inner, rowStride };
}

/** Views over the placed buffers (null where absent). */
function views(wasm: WasmKernelExports, dtype: Dtype, offsets: number[], lengths: number[]): (FloatArray | null)[] {
  return offsets.map((at, i) => (at === 0 ? null : viewAt(wasm, dtype, at, lengths[i])));
}

/** Copies per-element values of blocks [b0, b1) (blockSize each) to the start of `to`. */
function copyBlocksIn(to: FloatArray | Int32Array | null, from: FloatArray | Int32Array | null, b0: number, b1: number, blockSize: number): void {
  if (to && from) to.set(from.subarray(b0 * blockSize, b1 * blockSize));
}

function copyBlocksOut(from: FloatArray | null, to: FloatArray | null, b0: number, b1: number, blockSize: number): void {
  if (from && to) to.set(from.subarray(0, (b1 - b0) * blockSize), b0 * blockSize);
}

/** Copies the (C, inner) blocks [b0, b1) of `from` into wasm memory, class rows rowStride apart. */
function copyValuesIn(to: FloatArray | null, from: FloatArray | null, b0: number, b1: number, L: ClassLayout, rowStride: number): void {
  if (!to || !from) return;
  if (rowStride === L.inner) return copyBlocksIn(to, from, b0, b1, L.classes * L.inner);
  for (let row = b0 * L.classes, at = 0; row < b1 * L.classes; row++, at += rowStride) to.set(from.subarray(row * L.inner, (row + 1) * L.inner), at);
}

function copyValuesOut(from: FloatArray | null, to: FloatArray | null, b0: number, b1: number, L: ClassLayout, rowStride: number): void {
  if (!to || !from) return;
  if (rowStride === L.inner) return copyBlocksOut(from, to, b0, b1, L.classes * L.inner);
  for (let row = b0 * L.classes, at = 0; row < b1 * L.classes; row++, at += rowStride) to.set(from.subarray(at, at + L.inner), row * L.inner);
}

/**
 * Calls with fewer logits than this run on the TypeScript kernels: for a handful
 * of values, placing buffers in the module's memory costs more than the
 * arithmetic (2 × 3: about 4.5 µs against 1.5 µs). Tests set it to 0 so every
 * golden case reaches the WebAssembly code.
 */
export const wasmSmallCalls = { typescriptBelow: 256 };

/** `fresh` gives a new instance of the module, with a memory of its own, for each training arena. */
export function wasmKernels(wasm: WasmKernelExports, fresh: () => WasmKernelExports): KernelSet {
  function indexTarget(k: IndexTargetCall): void {
    if (k.x.length < wasmSmallCalls.typescriptBelow) return typescriptKernels.indexTarget(k);
    const { dtype, layout: L } = k;
    const B = bytesPer(dtype);
    const { blocks, blockValues, blockElements, rowStride } = chunking(L, dtype);
    const values = blocks * blockValues;
    const elements = blocks * blockElements;
    const lengths = [values, elements, L.classes, elements, elements, values, values, values, elements, elements];
    const present = [true, true, k.weight, true, k.smoothScale, true, true, k.grad, true, k.smooth];
    const offsets = place(
      wasm,
      lengths.map((n, i) => (present[i] ? n * (i === 1 ? 4 : B) : 0)),
    );
    const [x, , weight, nllScale, smoothScale, logProbs, probs, grad, nll, smooth] = views(wasm, dtype, offsets, lengths);
    const target = new Int32Array(wasm.memory.buffer, offsets[1], elements);
    if (weight && k.weight) weight.set(k.weight);
    let weightSum = k.weight ? 0 : L.classes;
    for (const w of k.weight ?? []) weightSum += w;
    const f32 = dtype === 'float32';
    for (let b0 = 0; b0 < L.outer; b0 += blocks) {
      const b1 = Math.min(L.outer, b0 + blocks);
      copyValuesIn(x, k.x, b0, b1, L, rowStride);
      copyBlocksIn(target, k.target, b0, b1, blockElements);
      copyBlocksIn(nllScale, k.nllScale, b0, b1, blockElements);
      copyBlocksIn(smoothScale, k.smoothScale, b0, b1, blockElements);
      const [px, pt, pw, pns, pss, plp, pp, pg, pnll, psm] = offsets;
      if (L.inner === 1) {
        (f32 ? wasm.indexTargetRowsF32 : wasm.indexTargetRowsF64)(px, b1 - b0, L.classes, pt, pw, weightSum, pns, pss, plp, pp, pg, pnll, psm);
      } else {
        (f32 ? wasm.indexTargetLanesF32 : wasm.indexTargetLanesF64)(
          px,
          b1 - b0,
          L.classes,
          L.inner,
          rowStride,
          pt,
          pw,
          weightSum,
          pns,
          pss,
          plp,
          pp,
          pg,
          pnll,
          psm,
        );
      }
      copyValuesOut(logProbs, k.logProbs, b0, b1, L, rowStride);
      copyValuesOut(probs, k.probs, b0, b1, L, rowStride);
      copyValuesOut(grad, k.grad, b0, b1, L, rowStride);
      copyBlocksOut(nll, k.nll, b0, b1, blockElements);
      copyBlocksOut(smooth, k.smooth, b0, b1, blockElements);
    }
  }

  function probTarget(k: ProbTargetCall): void {
    if (k.x.length < wasmSmallCalls.typescriptBelow) return typescriptKernels.probTarget(k);
    const { dtype, layout: L } = k;
    const { blocks, blockValues, blockElements, rowStride } = chunking(L, dtype);
    const values = blocks * blockValues;
    const elements = blocks * blockElements;
    const lengths = [values, values, L.classes, elements, values, values, values, elements];
    const present = [true, true, k.weight, true, true, true, k.grad, true];
    const offsets = place(
      wasm,
      lengths.map((n, i) => (present[i] ? n * bytesPer(dtype) : 0)),
    );
    const [x, y, weight, scale, logProbs, probs, grad, loss] = views(wasm, dtype, offsets, lengths);
    if (weight && k.weight) weight.set(k.weight);
    const smoothing = k.smoothing !== null;
    const keep = k.smoothing?.keep ?? 1;
    const spread = k.smoothing?.spread ?? 0;
    const f32 = dtype === 'float32';
    for (let b0 = 0; b0 < L.outer; b0 += blocks) {
      const b1 = Math.min(L.outer, b0 + blocks);
      copyValuesIn(x, k.x, b0, b1, L, rowStride);
      copyValuesIn(y, k.y, b0, b1, L, rowStride);
      copyBlocksIn(scale, k.scale, b0, b1, blockElements);
      const [px, py, pw, ps, plp, pp, pg, pl] = offsets;
      if (L.inner === 1) {
        (f32 ? wasm.probTargetRowsF32 : wasm.probTargetRowsF64)(px, py, b1 - b0, L.classes, +smoothing, keep, spread, pw, ps, plp, pp, pg, pl);
      } else {
        (f32 ? wasm.probTargetLanesF32 : wasm.probTargetLanesF64)(
          px,
          py,
          b1 - b0,
          L.classes,
          L.inner,
          rowStride,
          +smoothing,
          keep,
          spread,
          pw,
          ps,
          plp,
          pp,
          pg,
          pl,
        );
      }
      copyValuesOut(logProbs, k.logProbs, b0, b1, L, rowStride);
      copyValuesOut(probs, k.probs, b0, b1, L, rowStride);
      copyValuesOut(grad, k.grad, b0, b1, L, rowStride);
      copyBlocksOut(loss, k.loss, b0, b1, blockElements);
    }
  }

  return { name: 'wasm-simd', indexTarget, probTarget, trainArena: (dtype, length) => wasmTrainArena(fresh(), dtype, length) };
}

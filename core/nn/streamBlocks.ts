// How a (N, C, d1..dk) tensor in a file is cut into blocks of whole elements
// (an element's C values are never split): whole samples while a sample fits a
// block, else runs of positions within one sample, read as C strided ranges and
// laid out as a (1, C, positions) block. Each block covers the elements
// [e0, e1) of the whole tensor, in its C order.
import type { ClassLayout } from '../compute/layout';
import { readStoredValues, type StoredTensor } from '../files/storedTensor';
import type { FloatArray } from '../tensor';

/** Values of one block: 8 MB of float32, which stays in cache between the read, the kernels and the row facts. */
export const BLOCK_VALUES = 1 << 21;
/**
 * A last block smaller than this (or than a quarter of a block, for small blocks) joins the one before it:
 * a call that small may take a kernel set's small-call path (compute/wasmKernels.ts), whose last bits can
 * differ from the whole tensor's.
 */
const MIN_BLOCK_VALUES = 4096;

export interface Block {
  /** The elements it covers. */
  e0: number;
  e1: number;
  /** Its own layout: (samples, C, inner) or (1, C, positions). */
  layout: ClassLayout;
  /** Sample and first position (within-sample blocks only). */
  sample: number;
  position: number;
  values: number;
}

/** The blocks of a tensor of layout L, in order, covering every element once. */
export function blocksOf(L: ClassLayout, blockValues = BLOCK_VALUES): Block[] {
  const list: Block[] = [];
  const sampleValues = L.classes * L.inner;
  if (sampleValues <= blockValues || L.inner === 1) {
    const samples = Math.max(1, Math.floor(blockValues / Math.max(1, sampleValues)));
    for (let n0 = 0; n0 < L.outer; n0 += samples) {
      const n1 = Math.min(L.outer, n0 + samples);
      list.push({
        e0: n0 * L.inner,
        e1: n1 * L.inner,
        layout: { outer: n1 - n0, classes: L.classes, inner: L.inner },
        sample: n0,
        position: 0,
        values: (n1 - n0) * sampleValues,
      });
    }
  } else {
    const positions = Math.max(1, Math.floor(blockValues / Math.max(1, L.classes)));
    for (let n = 0; n < L.outer; n++) {
      for (let p0 = 0; p0 < L.inner; p0 += positions) {
        const p1 = Math.min(L.inner, p0 + positions);
        const e0 = n * L.inner + p0;
        list.push({
          e0,
          e1: e0 + p1 - p0,
          layout: { outer: 1, classes: L.classes, inner: p1 - p0 },
          sample: n,
          position: p0,
          values: L.classes * (p1 - p0),
        });
      }
    }
  }
  mergeSmallTails(list, Math.min(MIN_BLOCK_VALUES, blockValues >> 2));
  return list;
}

/** A helper thread's share of a pass: the first blocks, holding about half the values; this thread takes the rest. */
export function splitBlocks(blocks: Block[]): [Block[], Block[]] {
  const total = blocks.reduce((sum, b) => sum + b.values, 0);
  let taken = 0;
  let k = 0;
  while (k < blocks.length - 1 && taken + blocks[k].values / 2 < total / 2) taken += blocks[k++].values;
  return [blocks.slice(0, k), blocks.slice(k)];
}

/** A block under `minValues` joins the block before it when they are contiguous (the same samples' run, or positions of one sample). */
function mergeSmallTails(list: Block[], minValues: number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const [before, block] = [list[i - 1], list[i]];
    if (block.values >= minValues || before.e1 !== block.e0) continue;
    const samples = before.layout.inner === block.layout.inner && before.position === 0 && block.position === 0;
    const positions = before.sample === block.sample && before.layout.outer === 1 && block.layout.outer === 1 && !samples;
    if (samples) before.layout = { ...before.layout, outer: before.layout.outer + block.layout.outer };
    else if (positions) before.layout = { ...before.layout, inner: before.layout.inner + block.layout.inner };
    else continue;
    before.e1 = block.e1;
    before.values += block.values;
    list.splice(i, 1);
  }
}

/** The block holding element e. */
export function blockOf(list: readonly Block[], e: number): Block {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid].e0 <= e) lo = mid;
    else hi = mid - 1;
  }
  return list[lo];
}

/** Reads a block's values into `x` in its own layout. */
export async function readBlock(t: StoredTensor, L: ClassLayout, block: Block, x: FloatArray): Promise<void> {
  const sampleValues = L.classes * L.inner;
  if (block.layout.inner === L.inner) return readStoredValues(t, block.sample * sampleValues, block.values, x);
  const width = block.layout.inner;
  for (let c = 0; c < L.classes; c++) {
    await readStoredValues(t, block.sample * sampleValues + c * L.inner + block.position, width, x, c * width);
  }
}

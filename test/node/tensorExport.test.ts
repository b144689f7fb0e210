// --tensors' writer puts each block's values at their place in the .npy file,
// for blocks of whole samples and for runs of positions inside one sample.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { layoutOf } from '../../core/compute/layout';
import { blocksOf } from '../../core/nn/streamBlocks';
import { parseNpyHeader, readNpyData } from '../../core/npy';
import { TensorFiles } from '../../node/tensorExport';

it.each([[[37, 11]], [[5, 7, 13]], [[3, 6, 4, 5]]])('blocks of %j land where the whole tensor has them', async (shape) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-export-'));
  const L = layoutOf(shape);
  const files = await TensorFiles.create(dir, 'cell/1', 'float64', shape, L);
  const list = blocksOf(L, 50);
  expect(list.some((b) => b.layout.inner !== L.inner)).toBe(shape.length > 2);
  for (const block of list) {
    // Each value is its flat index in the whole tensor, written in the block's own layout.
    const values = new Float64Array(block.values);
    const { classes, inner } = block.layout;
    for (let e = 0; e < block.e1 - block.e0; e++) {
      const whole = block.e0 + e;
      for (let c = 0; c < classes; c++) {
        values[Math.floor(e / inner) * classes * inner + (e % inner) + c * inner] =
          Math.floor(whole / L.inner) * L.classes * L.inner + c * L.inner + (whole % L.inner);
      }
    }
    for (const name of ['probs', 'log_probs', 'grad'] as const) await files.write(name, block, values);
  }
  await files.close();
  expect(files.paths.map((p) => path.basename(p))).toEqual(['cell_1.probs.npy', 'cell_1.log_probs.npy', 'cell_1.grad.npy']);
  for (const file of files.paths) {
    const bytes = new Uint8Array(readFileSync(file));
    const header = parseNpyHeader(bytes);
    expect(header.shape).toEqual(shape);
    expect(Array.from(readNpyData(bytes, header))).toEqual(Array.from({ length: L.outer * L.classes * L.inner }, (_, i) => i));
  }
});

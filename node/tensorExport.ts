// `ce-lab run --tensors DIR`: each loss cell's probs, log_probs and grad as
// .npy files (DIR/<cell id>.probs.npy, …), in the run's dtype. A streamed cell's
// are written block by block, each block at its place in the file, so memory
// stays bounded whatever the file's size.
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { ClassLayout } from '../core/compute/layout';
import type { Block } from '../core/nn/streamBlocks';
import { npyBytes } from '../core/npyWrite';
import type { Dtype } from '../core/results';
import type { FloatArray } from '../core/tensor';

export const TENSOR_NAMES = ['probs', 'log_probs', 'grad'] as const;
export type TensorName = (typeof TENSOR_NAMES)[number];

/** A cell id as a file name: characters other than letters, digits, "-", "_" and "." become "_". */
const fileStem = (id: string) => id.replace(/[^\w.-]/g, '_');

export class TensorFiles {
  private constructor(
    private readonly handles: Map<TensorName, { handle: FileHandle; dataStart: number }>,
    private readonly layout: ClassLayout,
    private readonly itemBytes: number,
    readonly paths: string[],
  ) {}

  /** Creates the three files of cell `id` with their headers (an existing file is replaced: the flag asks for it). */
  static async create(dir: string, id: string, dtype: Dtype, shape: number[], layout: ClassLayout): Promise<TensorFiles> {
    const header = npyBytes(dtype === 'float32' ? '<f4' : '<f8', shape, []);
    const handles = new Map<TensorName, { handle: FileHandle; dataStart: number }>();
    const paths: string[] = [];
    for (const name of TENSOR_NAMES) {
      const file = path.join(dir, `${fileStem(id)}.${name}.npy`);
      const handle = await open(file, 'w');
      await handle.write(header);
      handles.set(name, { handle, dataStart: header.length });
      paths.push(file);
    }
    return new TensorFiles(handles, layout, dtype === 'float32' ? 4 : 8, paths);
  }

  /** Writes a block's values of one tensor where they belong: one range for whole samples, C ranges for positions of one sample. */
  async write(name: TensorName, block: Block, values: FloatArray): Promise<void> {
    const { handle, dataStart } = this.handles.get(name)!;
    const L = this.layout;
    const bytes = (from: number, count: number) => new Uint8Array(values.buffer, values.byteOffset + from * this.itemBytes, count * this.itemBytes);
    const sampleValues = L.classes * L.inner;
    if (block.layout.inner === L.inner) {
      await handle.write(bytes(0, block.values), 0, block.values * this.itemBytes, dataStart + block.sample * sampleValues * this.itemBytes);
      return;
    }
    const width = block.layout.inner;
    for (let c = 0; c < L.classes; c++) {
      const at = block.sample * sampleValues + c * L.inner + block.position;
      await handle.write(bytes(c * width, width), 0, width * this.itemBytes, dataStart + at * this.itemBytes);
    }
  }

  async close(): Promise<void> {
    for (const { handle } of this.handles.values()) await handle.close();
  }
}

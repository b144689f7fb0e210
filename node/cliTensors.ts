// The CLI's --tensors DIR: writes each loss cell's N×C tensors as .npy files.
// A streamed cell's are computed again block by block from its file (nothing of
// size N·C is held); a cell held whole writes the tensors its result has.
import { layoutOf } from '../core/compute/layout';
import type { AfterStreamedPass } from '../core/scenario/streamedRun';
import { blockTensors } from '../core/nn/streamedTensors';
import type { LossResult } from '../core/results';
import { streamedArgs } from '../core/scenario/streamedLossCell';
import { TensorFiles } from './tensorExport';

/** Writes a streamed cell's tensors; `written` gets the paths. */
export function writeStreamedTensors(dir: string, written: (paths: string[]) => void): AfterStreamedPass {
  return async (header, input, pass, signal) => {
    const files = await TensorFiles.create(dir, header.id, pass.dtype, pass.shape, pass.layout);
    try {
      for (const block of pass.blocks) {
        if (signal?.aborted) return;
        const t = await blockTensors(pass, streamedArgs(input), block);
        await files.write('probs', block, t.probs);
        await files.write('log_probs', block, t.logProbs);
        await files.write('grad', block, t.grad);
      }
    } finally {
      await files.close();
    }
    written(files.paths);
  };
}

/** Writes the tensors of a loss cell held whole; returns their paths (none for a streamed cell: written already). */
export async function writeWholeTensors(dir: string, result: LossResult): Promise<string[]> {
  const { probs, log_probs: logProbs, grad } = result;
  if (!probs || !logProbs || !grad) return [];
  const layout = layoutOf(probs.shape);
  const dtype = probs.data instanceof Float32Array ? 'float32' : 'float64';
  const files = await TensorFiles.create(dir, result.id, dtype, probs.shape, layout);
  const all = { e0: 0, e1: layout.outer * layout.inner, layout, sample: 0, position: 0, values: probs.data.length };
  try {
    await files.write('probs', all, probs.data);
    await files.write('log_probs', all, logProbs.data);
    await files.write('grad', all, grad.data);
  } finally {
    await files.close();
  }
  return files.paths;
}

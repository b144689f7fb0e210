// Calibration of a streamed loss cell (scenario/streamedLossCell.ts): each pass
// reads the logits file again block by block, in the blocks of the cell's own
// pass, adding rows in element order, so the figures are the bits the tensor
// held whole gives. The figures at the cell's temperature cost one pass; the
// fit one pass per Newton step (about 4 to 8). Both are kept for the same file
// version and targets: the fit does not depend on the cell's temperature, so a
// temperature knob being dragged costs one pass here, a label smoothing knob none.
import type { StoredTensor } from '../files/storedTensor';
import { readBlock } from '../nn/streamBlocks';
import { StreamCancelled, type StreamedPass } from '../nn/streamedPass';
import type { Calibration, Dtype } from '../results';
import { newFloatArray } from '../compute/kernelSet';
import type { CalibrationSums } from './calibrationSums';
import { calibrationOf, newSums } from './calibrationResult';
import { fitByPasses, type Fitted } from './fitTemperature';

interface Kept {
  key: string;
  classIndex: Int32Array;
  fit: Fitted | null;
  atCell: Map<string, CalibrationSums>;
}
let kept: Kept | null = null;

function keptFor(logits: StoredTensor, pass: StreamedPass): Kept {
  const { file, shape, dtype: stored, start } = logits;
  const key = JSON.stringify([file.name, file.version, shape, stored, start, pass.dtype]);
  const same =
    kept && kept.key === key && kept.classIndex.length === pass.classIndex.length && kept.classIndex.every((t, e) => t === pass.classIndex[e]);
  if (!same) kept = { key, classIndex: Int32Array.from(pass.classIndex), fit: null, atCell: new Map() };
  return kept!;
}

/** One pass over the file at temperature T; throws StreamCancelled when `signal` aborts between blocks. */
async function passOverFile(
  logits: StoredTensor,
  pass: StreamedPass,
  dtype: Dtype,
  bins: number,
  T: number,
  signal?: AbortSignal,
): Promise<CalibrationSums> {
  const sums = newSums(bins, T, pass.layout.classes);
  const x = newFloatArray(
    dtype,
    pass.blocks.reduce((m, b) => Math.max(m, b.values), 0),
  );
  for (const block of pass.blocks) {
    if (signal?.aborted) throw new StreamCancelled();
    const values = x.subarray(0, block.values);
    await readBlock(logits, pass.layout, block, values);
    sums.addBlock(values, block.layout, pass.classIndex.subarray(block.e0, block.e1), null);
  }
  return sums;
}

/** The cell's calibration with `bins` bins at temperature `temperature`, from passes over its file. */
export async function streamedCalibration(
  logits: StoredTensor,
  pass: StreamedPass,
  temperature: number,
  bins: number,
  signal?: AbortSignal,
): Promise<Calibration> {
  const cache = keptFor(logits, pass);
  const run = (T: number) => passOverFile(logits, pass, pass.dtype, bins, T, signal);
  const atKey = JSON.stringify([temperature, bins]);
  const atCell = cache.atCell.get(atKey) ?? (await run(temperature));
  cache.atCell.clear();
  cache.atCell.set(atKey, atCell);
  if (!cache.fit || cache.fit.sums.count.length !== bins)
    cache.fit = await fitByPasses((T) => (T === temperature ? Promise.resolve(atCell) : run(T)), temperature);
  return calibrationOf(bins, atCell, cache.fit);
}

/** Drops what is kept (tests). */
export function dropKeptCalibration(): void {
  kept = null;
}

// Calibration of a streamed loss cell (scenario/streamedLossCell.ts): each pass
// reads the logits file again block by block, in the blocks of the cell's own
// pass (a share of them in a helper thread when there is one), adding rows in
// element order, so the figures are the bits the tensor held whole gives. The figures at the cell's temperature cost one pass; the
// fit one pass per Newton step (about 4 to 8). Both are kept for the same file
// version and targets: the fit does not depend on the cell's temperature, so a
// temperature knob being dragged costs one pass here, a label smoothing knob none.
import type { StoredTensor } from '../files/storedTensor';
import { readBlock, splitBlocks } from '../nn/streamBlocks';
import { StreamCancelled, type StreamedPass } from '../nn/streamedPass';
import type { Calibration } from '../results';
import { newFloatArray } from '../compute/kernelSet';
import type { CalibrationSums } from './calibrationSums';
import { calibrationOf, newSums } from './calibrationResult';
import type { CalibrationHelper } from './calibrationHelper';
import { fitByPasses, type Fitted } from './fitTemperature';
import { computeRowFacts, newRowFacts, RowScratch } from './rowFacts';

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
  bins: number,
  T: number,
  signal?: AbortSignal,
  helper?: CalibrationHelper,
): Promise<CalibrationSums> {
  const { layout, classIndex, blocks, dtype } = pass;
  const sums = newSums(bins, T, layout.classes);
  const rows = classIndex.length;
  const shared = helper && blocks.length > 1 && helper.acceptsCalibration(logits, rows) ? helper : null;
  const [theirs, ours] = shared ? splitBlocks(blocks) : [[], blocks];
  const x = newFloatArray(
    dtype,
    ours.reduce((m, b) => Math.max(m, b.values), 0),
  );
  const readOurs = async function* () {
    for (const block of ours) {
      if (signal?.aborted) throw new StreamCancelled();
      const values = x.subarray(0, block.values);
      await readBlock(logits, layout, block, values);
      yield { block, values };
    }
  };
  if (!shared) {
    for await (const { block, values } of readOurs()) sums.addBlock(values, block.layout, classIndex.subarray(block.e0, block.e1), null);
    return sums;
  }
  const facts = newRowFacts(rows, (bytes) => shared.share(bytes));
  const helping = shared.calibrate({ logits, layout, classIndex, dtype, temperature: T, blocks: theirs, facts });
  try {
    const scratch = new RowScratch(layout.classes);
    for await (const { block, values } of readOurs()) {
      const target = classIndex.subarray(block.e0, block.e1);
      computeRowFacts(values, block.layout, target, null, T, scratch, [0, block.e1 - block.e0], facts, block.e0);
    }
    await helping.done;
  } catch (error) {
    helping.cancel();
    throw error;
  }
  sums.addRows(facts, classIndex, [0, rows], 0);
  return sums;
}

/** The cell's calibration with `bins` bins at temperature `temperature`, from passes over its file (`helper`: a second thread). */
export async function streamedCalibration(
  logits: StoredTensor,
  pass: StreamedPass,
  temperature: number,
  bins: number,
  signal?: AbortSignal,
  helper?: CalibrationHelper,
): Promise<Calibration> {
  const cache = keptFor(logits, pass);
  const run = (T: number) => passOverFile(logits, pass, bins, T, signal, helper);
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

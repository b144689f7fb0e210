// Runs a streamed loss cell inside the engine's event stream: progress events
// while its blocks are read (at most one every PROGRESS_MS), cancelled between
// blocks, and its file closed whatever happens.
import { calibrationPlan } from '../calibration/calibrationOption';
import { streamedCalibration } from '../calibration/streamedCalibration';
import { layoutOf } from '../compute/layout';
import type { EngineEvent } from '../events';
import { StreamCancelled, type PassHelper, type StreamedPass } from '../nn/streamedPass';
import type { CellHeader, LossResult, Problem } from '../results';
import { closeStreamedInput, runStreamedPass, type StreamedLossInput } from './streamedLossCell';
import { streamedLossResult } from './streamedLossResult';

const PROGRESS_MS = 250;

/** What a runner may do with a streamed cell's pass while its file is still open. */
export type AfterStreamedPass = (header: CellHeader, input: StreamedLossInput, pass: StreamedPass, signal: AbortSignal | undefined) => Promise<void>;

export interface StreamOptions {
  /** Aborting stops the pass between blocks. */
  signal?: AbortSignal;
  afterPass?: AfterStreamedPass;
  /** A second thread for large files. */
  helper?: PassHelper;
}

/**
 * Adds the cell's calibration (passes over its file), or the reason it is absent. A streamed cell calibrates only
 * when asked: its fit reads the whole file a few more times, which would hold back its loss (0.6 s → several seconds
 * for a 200 MB file).
 */
async function addCalibration(result: LossResult, input: StreamedLossInput, pass: StreamedPass, signal?: AbortSignal): Promise<void> {
  const { elements, counted } = pass.normalisation;
  const plan = calibrationPlan(input.calibration, { targetKind: 'index', elements, counted });
  if (plan && 'absent' in plan) result.view.calibrationAbsent = plan.absent;
  else if (plan && input.calibration.kind === 'auto') result.view.calibrationAbsent = STREAMED_ASK;
  else if (plan) result.calibration = await streamedCalibration(input.logits, pass, input.temperature, plan.bins, signal);
}

/** Why a streamed cell shows no calibration until asked. */
export const STREAMED_ASK =
  'Calibration of a streamed file reads it a few more times (about 6 passes): add "calibration": true to the cell to compute it.';

/** Yields progress, then returns the result; null when cancelled (the run then ends, as a stopped training does). */
export async function* runStreamedLossCell(
  header: CellHeader,
  input: StreamedLossInput,
  warnings: Problem[],
  { signal, afterPass, helper }: StreamOptions,
): AsyncGenerator<EngineEvent, LossResult | null> {
  const { index, id, title } = header;
  const L = layoutOf(input.logits.shape);
  const total = L.outer * L.inner;
  try {
    const blocks = runStreamedPass(input, signal, helper);
    let last = Date.now();
    for (;;) {
      let step;
      try {
        step = await blocks.next();
      } catch (error) {
        if (error instanceof StreamCancelled) return null;
        throw error;
      }
      if (step.done) {
        const result = await streamedLossResult(id, title, input, step.value, warnings);
        try {
          await addCalibration(result, input, step.value, signal);
        } catch (error) {
          if (error instanceof StreamCancelled) return null;
          throw error;
        }
        await afterPass?.(header, input, step.value, signal);
        return result;
      }
      if (Date.now() - last >= PROGRESS_MS) {
        last = Date.now();
        yield { kind: 'cell-progress', index, id, done: step.value, total };
      }
    }
  } finally {
    await closeStreamedInput(input);
  }
}

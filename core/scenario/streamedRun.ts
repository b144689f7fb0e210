// Runs a streamed loss cell inside the engine's event stream: progress events
// while its blocks are read (at most one every PROGRESS_MS), cancelled between
// blocks, and its file closed whatever happens. Its calibration (a few more
// passes over the file) follows its loss: with `provisional`, the loss is
// reported first, marked as calibrating, so the panel shows it without waiting.
import { calibrationPlan } from '../calibration/calibrationOption';
import { streamedCalibration } from '../calibration/streamedCalibration';
import { layoutOf } from '../compute/layout';
import type { EngineEvent } from '../events';
import type { StreamHelper } from '../calibration/calibrationHelper';
import { StreamCancelled, type StreamedPass } from '../nn/streamedPass';
import type { CellHeader, Problem } from '../results';
import { closeStreamedInput, runStreamedPass, type StreamedLossInput } from './streamedLossCell';
import { streamedLossResult } from './streamedLossResult';

const PROGRESS_MS = 250;

/** What a runner may do with a streamed cell's pass while its file is still open. */
export type AfterStreamedPass = (header: CellHeader, input: StreamedLossInput, pass: StreamedPass, signal: AbortSignal | undefined) => Promise<void>;

export interface StreamOptions {
  /** Aborting stops the pass between blocks. */
  signal?: AbortSignal;
  afterPass?: AfterStreamedPass;
  /** A second thread for large files: the loss pass and the calibration passes. */
  helper?: StreamHelper;
  /** Report the loss before the calibration passes (a `cell-result` marked `calibrating`), then the result with it. */
  provisional?: boolean;
}

/** Shown while the calibration passes run. */
export const CALIBRATING = 'reading the file a few more times for the figures and the fitted temperature…';
/** Shown when a Stop or a newer edit ends the run during the calibration passes. */
export const CALIBRATION_STOPPED = 'the run was stopped before its calibration passes finished; run the cell again to compute it.';

/**
 * Yields the cell's `cell-result` (after its progress), or nothing when cancelled during its loss pass; returns
 * whether the run goes on. A cancel during the calibration passes ends the cell with its loss and the reason
 * calibration is missing, and ends the run.
 */
export async function* runStreamedLossCell(
  header: CellHeader,
  input: StreamedLossInput,
  warnings: Problem[],
  { signal, afterPass, helper, provisional }: StreamOptions,
): AsyncGenerator<EngineEvent, boolean> {
  const { index, id, title } = header;
  const L = layoutOf(input.logits.shape);
  const total = L.outer * L.inner;
  try {
    const blocks = runStreamedPass(input, signal, helper);
    let last = Date.now();
    let pass: StreamedPass;
    for (;;) {
      let step;
      try {
        step = await blocks.next();
      } catch (error) {
        if (error instanceof StreamCancelled) return false;
        throw error;
      }
      if (step.done) {
        pass = step.value;
        break;
      }
      if (Date.now() - last >= PROGRESS_MS) {
        last = Date.now();
        yield { kind: 'cell-progress', index, id, done: step.value, total };
      }
    }
    const result = await streamedLossResult(id, title, input, pass, warnings);
    const { elements, counted } = pass.normalisation;
    const plan = calibrationPlan(input.calibration, { targetKind: 'index', elements, counted });
    if (plan && 'absent' in plan) result.view.calibrationAbsent = plan.absent;
    try {
      if (plan && 'bins' in plan) {
        if (provisional) yield { kind: 'cell-result', index, result: { ...result, view: { ...result.view, calibrating: CALIBRATING } } };
        result.calibration = await streamedCalibration(input.logits, pass, input.temperature, plan.bins, signal, helper);
      }
      await afterPass?.(header, input, pass, signal);
    } catch (error) {
      if (!(error instanceof StreamCancelled)) throw error;
      if (provisional && plan && 'bins' in plan) {
        result.view.calibrationAbsent = CALIBRATION_STOPPED;
        yield { kind: 'cell-result', index, result };
      }
      return false;
    }
    yield { kind: 'cell-result', index, result };
    return true;
  } finally {
    await closeStreamedInput(input);
  }
}

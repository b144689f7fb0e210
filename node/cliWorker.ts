// The CLI's engine thread: runs the scenario in a worker with a heap limit, so
// running out of memory ends this thread (reported on the cell) instead of the
// process. Each event goes to the main thread at once; the engine waits when the
// main thread falls behind writing them, so memory stays bounded whatever the output.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateScenario } from '../core/evaluate';
import type { EngineEvent } from '../core/events';
import type { Limits } from '../core/limits';
import { renderCell } from './cliOutput';
import { writeStreamedTensors, writeWholeTensors } from './cliTensors';
import { makeNpyLoader, makeRangeFileOpener } from './npyFiles';
import { nodePassHelper } from './streamHelper';
import { useNodeMemory } from './unfilledMemory';
import { messageOf } from '../core/errorMessage';

export interface CliWorkerData {
  text: string;
  /** Render cells as --json output (else as the summary). */
  json: boolean;
  cellId?: string;
  defaultTitle: string;
  limits: Partial<Limits>;
  baseDir: string;
  workspaceRoot: string;
  /** --tensors: the folder each loss cell's probs, log_probs and grad are written into as .npy files. */
  tensorsDir?: string;
}

export type CliWorkerMessage =
  | { type: 'event'; event: Exclude<EngineEvent, { kind: 'cell-result' | 'cell-failed' | 'sweep-point' | 'train-progress' }> }
  /**
   * A finished cell, rendered here: a large result crosses to the main thread as
   * strings of about 64 K characters (`piece`s, then its last piece in `cell`),
   * never as one string or as a copy of its arrays.
   */
  | { type: 'piece'; text: string }
  | { type: 'cell'; index: number; ok: boolean; rendered: string }
  | { type: 'crash'; message: string }
  /** A line for stderr (files written). */
  | { type: 'note'; text: string };

/** Messages the main thread may have unwritten before the engine waits for it. */
const MAX_IN_FLIGHT = 64;

export async function runCliWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runCliWorker must run in a worker thread');
  const data = workerData as CliWorkerData;
  useNodeMemory();
  let inFlight = 0;
  let drained: (() => void) | null = null;
  port.on('message', () => {
    inFlight--;
    if (inFlight < MAX_IN_FLIGHT) drained?.();
  });
  const send = (message: CliWorkerMessage) => port.postMessage(message);
  const wrote = (paths: string[]) => paths.forEach((file) => send({ type: 'note', text: `wrote ${file}` }));
  // The helper thread runs this same bundle (node/cli.ts starts it as a helper by its workerData).
  const helper = nodePassHelper(__filename);
  try {
    const events = evaluateScenario(data.text, {
      cellId: data.cellId,
      defaultTitle: data.defaultTitle,
      limits: data.limits,
      loadNpy: makeNpyLoader(data.baseDir, data.workspaceRoot),
      openFile: makeRangeFileOpener(data.baseDir, data.workspaceRoot),
      passHelper: helper,
      ...(data.tensorsDir ? { afterStreamedPass: writeStreamedTensors(data.tensorsDir, wrote) } : {}),
      progressIntervalMs: 1000,
    });
    /** Sends a message the main thread answers once written; waits while too many are unwritten. */
    const sendCounted = async (message: CliWorkerMessage) => {
      inFlight++;
      send(message);
      if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (drained = resolve));
    };
    for await (const event of events) {
      if (data.tensorsDir && event.kind === 'cell-result' && event.result.type === 'loss')
        wrote(await writeWholeTensors(data.tensorsDir, event.result));
      // Sent at once, so a cell that then runs out of memory or time is known; streaming partials are not printed.
      if (event.kind === 'sweep-point' || event.kind === 'train-progress') continue;
      if (event.kind === 'cell-result' || event.kind === 'cell-failed') {
        let last = '';
        let pieces = 0;
        for (const piece of renderCell(event.result, data.json)) {
          if (pieces++ > 0) await sendCounted({ type: 'piece', text: last });
          last = piece;
        }
        await sendCounted({ type: 'cell', index: event.index, ok: event.result.ok, rendered: last });
      } else await sendCounted({ type: 'event', event });
    }
  } catch (error) {
    send({ type: 'crash', message: messageOf(error) });
  } finally {
    helper.close();
  }
  port.close();
}

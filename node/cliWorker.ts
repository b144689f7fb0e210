// The CLI's engine thread: runs the scenario in a worker with a heap limit, so
// running out of memory ends this thread (reported on the cell) instead of the
// process. Each piece of output goes to the main thread at once, as a `write`
// request over the one channel (core/channel.ts); the engine waits when the main
// thread falls behind writing them, so memory stays bounded whatever the output.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateScenario } from '../core/evaluate';
import type { Limits } from '../core/limits';
import { renderCell } from './cliOutput';
import { writeStreamedTensors, writeWholeTensors } from './cliTensors';
import { makeNpyLoader, makeRangeFileOpener } from './npyFiles';
import { nodePassHelper } from './streamHelper';
import { useNodeMemory } from './unfilledMemory';
import { messageOf } from '../core/errorMessage';
import { Channel, type Wire } from '../core/channel';
import type { CliEngineApi, CliMainApi, CliOutputMessage } from '../core/protocol';

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

/** Messages the main thread may have unwritten before the engine waits for it. */
const MAX_IN_FLIGHT = 64;

export async function runCliWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runCliWorker must run in a worker thread');
  const data = workerData as CliWorkerData;
  useNodeMemory();
  const channel = new Channel<CliEngineApi, CliMainApi>((wire) => port.postMessage(wire), { requests: {}, notices: {} });
  port.on('message', (wire: Wire) => channel.receive(wire));
  /** Writes not answered yet, oldest first. */
  const unwritten: Promise<unknown>[] = [];
  /** Sends a piece of output; waits while too many are unwritten. */
  const write = async (message: CliOutputMessage) => {
    unwritten.push(channel.request('write', message));
    if (unwritten.length >= MAX_IN_FLIGHT) await unwritten.shift();
  };
  const wrote = (paths: string[]) => paths.forEach((file) => void write({ type: 'note', text: `wrote ${file}` }));
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
    for await (const event of events) {
      if (data.tensorsDir && event.kind === 'cell-result' && event.result.type === 'loss')
        wrote(await writeWholeTensors(data.tensorsDir, event.result));
      // Sent at once, so a cell that then runs out of memory or time is known; streaming partials are not printed.
      if (event.kind === 'sweep-point' || event.kind === 'train-progress') continue;
      if (event.kind === 'cell-result' || event.kind === 'cell-failed') {
        let last = '';
        let pieces = 0;
        for (const piece of renderCell(event.result, data.json)) {
          if (pieces++ > 0) await write({ type: 'piece', text: last });
          last = piece;
        }
        await write({ type: 'cell', index: event.index, ok: event.result.ok, rendered: last });
      } else await write({ type: 'event', event });
    }
  } catch (error) {
    channel.notify('crash', { message: messageOf(error) });
  } finally {
    helper.close();
  }
  port.close();
}

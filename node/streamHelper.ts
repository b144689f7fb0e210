// The second thread of a large streamed pass (core/nn/streamedPass.ts,
// PassHelper): one worker thread, started when a pass of ≥ 1e7 logits first
// needs it and kept for the next, opens the file again by its path and runs its
// share of the blocks into the pass's arrays on shared memory.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { FileChangedError } from '../core/files/rangeFile';
import type { StoredTensor } from '../core/files/storedTensor';
import { messageOf } from '../core/errorMessage';
import { runBlocks } from '../core/nn/streamedBlockPass';
import type { PassHelper, StreamedArgs, StreamedPass } from '../core/nn/streamedPass';
import type { Block } from '../core/nn/streamBlocks';
import { numel, tensor } from '../core/tensor';
import { openRangeFile } from './rangeFile';
import { useNodeMemory } from './unfilledMemory';

/** What marks a thread of this script as a helper (workerData.role). */
export const HELPER_ROLE = 'ce-lab-stream-helper';

/** Passes of fewer logits run in one thread: the helper's start would cost more than it saves. */
const HELPER_FROM_LOGITS = 1e7;

interface HelperRequest {
  file: { path: string; name: string; version: string };
  stored: Omit<StoredTensor, 'file'>;
  /** The pass, its arrays on shared memory (structured clone shares them). */
  pass: StreamedPass;
  weight: number[] | null;
  temperature: number;
  blocks: Block[];
}
type HelperAnswer = { done: true } | { error: string; changed: boolean };

export const isHelperThread = (): boolean => (workerData as { role?: string } | null)?.role === HELPER_ROLE;

/** The PassHelper of this thread: `script` is the bundle this code runs in (its helper thread runs the same file). */
export function nodePassHelper(script: string, fromLogits = HELPER_FROM_LOGITS): PassHelper & { close(): void } {
  let worker: Worker | null = null;
  const drop = () => {
    void worker?.terminate();
    worker = null;
  };
  return {
    accepts: (args) => args.logits.file.path !== undefined && numel(args.logits.shape) >= fromLogits,
    share: (bytes) => new SharedArrayBuffer(bytes) as unknown as ArrayBuffer,
    run(pass: StreamedPass, args: StreamedArgs, blocks: Block[]) {
      const thread = (worker ??= new Worker(script, { workerData: { role: HELPER_ROLE } }));
      const { file, ...stored } = args.logits;
      const request: HelperRequest = {
        file: { path: file.path!, name: file.name, version: file.version },
        stored,
        pass,
        weight: args.weight && Array.from(args.weight.data),
        temperature: args.temperature,
        blocks,
      };
      const done = new Promise<void>((resolve, reject) => {
        const onMessage = (answer: HelperAnswer) => {
          thread.off('error', onError);
          if ('done' in answer) resolve();
          else reject(answer.changed ? new FileChangedError(file.name) : new Error(answer.error));
        };
        const onError = (error: Error) => {
          thread.off('message', onMessage);
          if (worker === thread) worker = null;
          reject(error);
        };
        thread.once('message', onMessage);
        thread.once('error', onError);
      });
      thread.postMessage(request);
      return { done, cancel: drop };
    },
    close: drop,
  };
}

/** The helper thread: answers each request once its share of the blocks is in the shared arrays. */
export function runStreamHelper(): void {
  const port = parentPort;
  if (!port) throw new Error('runStreamHelper must run in a worker thread');
  useNodeMemory();
  port.on('message', async (request: HelperRequest) => {
    const answer = await runShare(request);
    port.postMessage(answer);
  });
}

async function runShare({ file: named, stored, pass, weight, temperature, blocks }: HelperRequest): Promise<HelperAnswer> {
  let file = null;
  try {
    file = await openRangeFile(named.path, named.name);
    if (file.version !== named.version) throw new FileChangedError(named.name);
    const args: StreamedArgs = {
      logits: { file, ...stored },
      // runBlocks reads the targets from the pass's class indices, and the weights and temperature from here.
      target: tensor([0]),
      weight: weight && tensor([weight.length], weight),
      ignoreIndex: -100,
      reduction: 'none',
      labelSmoothing: 0,
      gradOutput: null,
      temperature,
      dtype: pass.dtype,
    };
    const steps = runBlocks(pass, args, blocks);
    while (!(await steps.next()).done);
    return { done: true };
  } catch (error) {
    return { error: messageOf(error), changed: error instanceof FileChangedError };
  } finally {
    await file?.close();
  }
}

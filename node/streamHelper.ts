// The second thread of a large streamed pass (core/nn/streamedPass.ts,
// PassHelper) and of its calibration passes (core/calibration/calibrationHelper.ts):
// one worker thread, started when a pass of ≥ 1e7 logits first needs it and
// kept for the next, opens the file again by its path and runs its share of the
// blocks into arrays on shared memory.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { CalibrationShare, StreamHelper } from '../core/calibration/calibrationHelper';
import { computeRowFacts, RowScratch } from '../core/calibration/rowFacts';
import { newFloatArray } from '../core/compute/kernelSet';
import { FileChangedError, type RangeFile } from '../core/files/rangeFile';
import type { StoredTensor } from '../core/files/storedTensor';
import { messageOf } from '../core/errorMessage';
import { runBlocks } from '../core/nn/streamedBlockPass';
import type { StreamedArgs, StreamedPass } from '../core/nn/streamedPass';
import { readBlock, type Block } from '../core/nn/streamBlocks';
import { numel, tensor } from '../core/tensor';
import { openRangeFile } from './rangeFile';
import { useNodeMemory } from './unfilledMemory';

/** What marks a thread of this script as a helper (workerData.role). */
export const HELPER_ROLE = 'ce-lab-stream-helper';

/** Passes of fewer logits run in one thread: the helper's start would cost more than it saves. */
const HELPER_FROM_LOGITS = 1e7;
/** Calibration shares its row facts (41 bytes a row): past this many rows the passes run in one thread. */
const CALIBRATION_MAX_ROWS = 1 << 20;

interface NamedFile {
  path: string;
  name: string;
  version: string;
}

/** The work of one request: a share of a loss pass, or of a calibration pass. */
type HelperWork =
  | {
      kind: 'pass';
      /** The pass, its arrays on shared memory (structured clone shares them). */
      pass: StreamedPass;
      weight: number[] | null;
      temperature: number;
      blocks: Block[];
    }
  | { kind: 'calibrate'; share: Omit<CalibrationShare, 'logits'> };
/** The file is named by its path: the helper opens it again. */
type HelperRequest = { file: NamedFile; stored: Omit<StoredTensor, 'file'> } & HelperWork;
type HelperAnswer = { done: true } | { error: string; changed: boolean };

export const isHelperThread = (): boolean => (workerData as { role?: string } | null)?.role === HELPER_ROLE;

/** The StreamHelper of this thread: `script` is the bundle this code runs in (its helper thread runs the same file). */
export function nodePassHelper(script: string, fromLogits = HELPER_FROM_LOGITS): StreamHelper & { close(): void } {
  let worker: Worker | null = null;
  const drop = () => {
    void worker?.terminate();
    worker = null;
  };
  const large = (logits: StoredTensor) => logits.file.path !== undefined && numel(logits.shape) >= fromLogits;
  /** Posts one request; `done` settles with its answer. */
  const send = (logits: StoredTensor, work: HelperWork) => {
    const thread = (worker ??= new Worker(script, { workerData: { role: HELPER_ROLE } }));
    const { file, ...stored } = logits;
    const request: HelperRequest = { file: { path: file.path!, name: file.name, version: file.version }, stored, ...work };
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
  };
  return {
    accepts: (args) => large(args.logits),
    acceptsCalibration: (logits, rows) => large(logits) && rows <= CALIBRATION_MAX_ROWS,
    share: (bytes) => new SharedArrayBuffer(bytes) as unknown as ArrayBuffer,
    run: (pass, args, blocks) =>
      send(args.logits, { kind: 'pass', pass, weight: args.weight && Array.from(args.weight.data), temperature: args.temperature, blocks }),
    calibrate: ({ logits, ...share }) => send(logits, { kind: 'calibrate', share }),
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

async function runShare(request: HelperRequest): Promise<HelperAnswer> {
  let file: RangeFile | null = null;
  try {
    file = await openRangeFile(request.file.path, request.file.name);
    if (file.version !== request.file.version) throw new FileChangedError(request.file.name);
    const logits: StoredTensor = { file, ...request.stored };
    if (request.kind === 'pass') await runPassShare(logits, request.pass, request.weight, request.temperature, request.blocks);
    else await runCalibrationShare({ logits, ...request.share });
    return { done: true };
  } catch (error) {
    return { error: messageOf(error), changed: error instanceof FileChangedError };
  } finally {
    await file?.close();
  }
}

async function runPassShare(logits: StoredTensor, pass: StreamedPass, weight: number[] | null, temperature: number, blocks: Block[]): Promise<void> {
  const args: StreamedArgs = {
    logits,
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
}

async function runCalibrationShare({ logits, layout, classIndex, dtype, temperature, blocks, facts }: CalibrationShare): Promise<void> {
  const x = newFloatArray(
    dtype,
    blocks.reduce((m, b) => Math.max(m, b.values), 0),
  );
  const scratch = new RowScratch(layout.classes);
  for (const block of blocks) {
    const values = x.subarray(0, block.values);
    await readBlock(logits, layout, block, values);
    computeRowFacts(
      values,
      block.layout,
      classIndex.subarray(block.e0, block.e1),
      null,
      temperature,
      scratch,
      [0, block.e1 - block.e0],
      facts,
      block.e0,
    );
  }
}

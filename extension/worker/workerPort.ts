// The engine worker's link to the host in a Node worker thread (desktop).
// Its twin workerPort.web.ts does the same in a browser Web Worker; the web
// build picks the twin (scripts/buildConfig.mjs).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { RangeFileOpener } from '../../core/files/rangeFile';
import type { PassHelper } from '../../core/nn/streamedPass';
import type { DiskFolder, HostToWorker, WorkerToHost } from '../../core/protocol';
import { makeRangeFileOpener } from '../../node/npyFiles';
import { isHelperThread, nodePassHelper, runStreamHelper } from '../../node/streamHelper';
import { useNodeMemory } from '../../node/unfilledMemory';
import type { EngineWorkerData } from './spawnWorker';

function hostPort(): MessagePort {
  if (!parentPort) throw new Error('engineWorker must run in a worker thread');
  return parentPort;
}
const port = hostPort();
// Node gives memory without the zero-fill; the web twin keeps the default.
useNodeMemory();

export function send(message: WorkerToHost): void {
  port.postMessage(message);
}

export function onHostMessage(listener: (message: HostToWorker) => void): void {
  port.on('message', listener);
}

/** Lets queued host messages (cancel, pause) in before the engine goes on. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The pass helper of this worker (its thread runs this same bundle), started when a large file first needs it. */
const helper = nodePassHelper(__filename);

/**
 * A scenario on disk: its files are read here, with the host's rules (inside the workspace folder), and a
 * large streamed file gets the helper thread. Its web twin has no disk and answers null.
 */
export function diskFiles(disk: DiskFolder): { openFile: RangeFileOpener; passHelper: PassHelper } {
  return { openFile: makeRangeFileOpener(disk.folder, disk.root), passHelper: helper };
}

/** In a helper thread this bundle runs the helper instead of the engine: true there. */
export function startedAsHelper(): boolean {
  if (!isHelperThread()) return false;
  runStreamHelper();
  return true;
}

/** The memory the host flags Stop and newer runs in (spawnWorker.ts), if it gave one. */
export function sharedCancelFlags(): SharedArrayBuffer | undefined {
  return (workerData as Partial<EngineWorkerData> | undefined)?.cancelFlags;
}

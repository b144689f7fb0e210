// The engine worker's link to the host in a Node worker thread (desktop).
// Its twin workerPort.web.ts does the same in a browser Web Worker; the web
// build picks the twin (scripts/buildConfig.mjs).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../../core/protocol';
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

/** The memory the host flags Stop and newer runs in (spawnWorker.ts), if it gave one. */
export function sharedCancelFlags(): SharedArrayBuffer | undefined {
  return (workerData as Partial<EngineWorkerData> | undefined)?.cancelFlags;
}

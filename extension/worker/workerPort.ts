// The engine worker's link to the host in a Node worker thread (desktop).
// Its twin workerPort.web.ts does the same in a browser Web Worker; the web
// build picks the twin (scripts/buildConfig.mjs).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Wire } from '../../core/channel';
import type { RangeFileOpener } from '../../core/files/rangeFile';
import type { StreamHelper } from '../../core/calibration/calibrationHelper';
import type { DiskFolder } from '../../core/protocol';
import { writeFileAtomically } from '../../node/atomicWrite';
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

export function send(wire: Wire): void {
  port.postMessage(wire);
}

export function onHostMessage(listener: (wire: Wire) => void): void {
  port.on('message', listener);
}

/** Lets queued host messages (Stop, a newer text) in before the engine goes on. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The pass helper of this worker (its thread runs this same bundle), started when a large file first needs it. */
const helper = nodePassHelper(__filename);

/**
 * A scenario on disk: its files are read here, with the host's rules (inside the workspace folder), and a
 * large streamed file gets the helper thread. Its web twin has no disk and answers null.
 */
export function diskFiles(disk: DiskFolder): { openFile: RangeFileOpener; passHelper: StreamHelper } {
  return { openFile: makeRangeFileOpener(disk.folder, disk.root), passHelper: helper };
}

/** In a helper thread this bundle runs the helper instead of the engine: true there. */
export function startedAsHelper(): boolean {
  if (!isHelperThread()) return false;
  runStreamHelper();
  return true;
}

/** The memory the host counts its messages in (spawnWorker.ts), if it gave one. */
export function sharedDoorbell(): SharedArrayBuffer | undefined {
  return (workerData as Partial<EngineWorkerData> | undefined)?.doorbell;
}

/** Writes an export where the host's save dialog said: true once written (the web twin cannot, and answers false). */
export async function writeFileBytes(path: string, bytes: Uint8Array): Promise<boolean> {
  await writeFileAtomically(path, bytes);
  return true;
}

// Starts the engine worker thread (dist/worker.js) with a memory cap, and turns
// its error/exit events into the one `died` the EngineClient understands.
// Runs are started and cancelled through shared flags too (see cancelFlags.ts).
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../../core/protocol';
import type { SpawnWorker } from '../engineClient';
import { CancelFlags } from './cancelFlags';

export interface EngineWorkerData {
  cancelFlags: SharedArrayBuffer;
}

export function workerSpawner(script: string, maxOldGenerationSizeMb: () => number): SpawnWorker {
  return (listeners) => {
    const flags = new CancelFlags();
    const workerData: EngineWorkerData = { cancelFlags: flags.buffer };
    const worker = new Worker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationSizeMb() } });
    worker.on('message', (message: WorkerToHost) => listeners.message(message));
    worker.on('error', (err: Error & { code?: string }) =>
      listeners.died(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `out of memory: the engine may use ${maxOldGenerationSizeMb()} MB (the ceLab.worker.maxOldGenerationSizeMb setting)`
          : err.message,
      ),
    );
    worker.on('exit', (code) => listeners.died(`exit code ${code}`));
    return {
      post: (message: HostToWorker) => {
        // A run beside the one in flight must not supersede it.
        if (message.type === 'evaluate' && !message.beside) flags.started(message.runId);
        if (message.type === 'cancel') flags.cancel(message.runId);
        worker.postMessage(message);
      },
      terminate: () => void worker.terminate(),
    };
  };
}

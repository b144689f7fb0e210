// Starts the engine worker thread (dist/worker.js) with a memory cap, and turns
// its error/exit events into the one `died` the EngineClient understands.
// Each message posted rings a shared doorbell too (see doorbell.ts).
import { Worker } from 'node:worker_threads';
import type { Wire } from '../../core/channel';
import type { SpawnWorker } from '../engineClient';
import { Doorbell } from './doorbell';

export interface EngineWorkerData {
  doorbell: SharedArrayBuffer;
}

export function workerSpawner(script: string, maxOldGenerationSizeMb: () => number): SpawnWorker {
  return (listeners) => {
    const doorbell = new Doorbell();
    const workerData: EngineWorkerData = { doorbell: doorbell.buffer };
    const worker = new Worker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationSizeMb() } });
    worker.on('message', (wire: Wire) => listeners.message(wire));
    worker.on('error', (err: Error & { code?: string }) =>
      listeners.died(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `out of memory: the engine may use ${maxOldGenerationSizeMb()} MB (the ceLab.worker.maxOldGenerationSizeMb setting)`
          : err.message,
      ),
    );
    worker.on('exit', (code) => listeners.died(`exit code ${code}`));
    return {
      post: (wire) => {
        doorbell.ring();
        worker.postMessage(wire);
      },
      terminate: () => void worker.terminate(),
    };
  };
}

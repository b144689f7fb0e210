// Starts the engine worker thread (dist/worker.js) with a memory cap, and turns
// its error/exit events into the one `died` the EngineClient understands.
import { Worker } from 'node:worker_threads';
import type { WorkerToHost } from '../../core/protocol';
import type { SpawnWorker } from '../engineClient';

export function workerSpawner(script: string, maxOldGenerationSizeMb: () => number): SpawnWorker {
  return (listeners) => {
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationSizeMb() } });
    worker.on('message', (message: WorkerToHost) => listeners.message(message));
    worker.on('error', (err) => listeners.died(err.message));
    worker.on('exit', (code) => listeners.died(`exit code ${code}`));
    return {
      post: (message) => worker.postMessage(message),
      terminate: () => void worker.terminate(),
    };
  };
}

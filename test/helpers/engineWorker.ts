// What the tests of the real engine worker share: a training long enough to be
// still running when a test stops or edits it, and the worker bundled for Node
// the way the extension ships it.
import * as path from 'node:path';
import type { Limits } from '../../core/limits';
import { EngineClient } from '../../extension/engineClient';
import { workerSpawner } from '../../extension/worker/spawnWorker';
import { bundleForNode } from './nodeBundle';

const root = path.resolve(__dirname, '..', '..');

/** A train cell of 10 million steps: it runs until a test stops it. */
export function longTrainCell(lr = 0.1) {
  return {
    type: 'train',
    id: 'long',
    model: { layers: [2, 16, 2] },
    data: {
      x: [
        [0, 0],
        [1, 1],
      ],
      target: [0, 1],
    },
    optimizer: { type: 'sgd', lr },
    steps: 10_000_000,
  };
}

/** A scenario of the long training alone. */
export const LONG_TRAINING = JSON.stringify({ version: 1, cells: [longTrainCell()] });

/**
 * An EngineClient over the real engine worker thread. The long training is over the default limits:
 * they are raised here as a user would, which also checks that limits reach the worker.
 */
export async function workerThreadClient(limits: Partial<Limits> = {}): Promise<EngineClient> {
  const outfile = await bundleForNode(path.join(root, 'extension', 'worker', 'engineWorker.ts'));
  return new EngineClient({
    spawn: workerSpawner(outfile, () => 256),
    runTimeoutMs: () => 30_000,
    stopGraceMs: 5000,
    limits: () => ({ maxTrainSteps: 1e8, maxWork: 1e15, ...limits }),
  });
}

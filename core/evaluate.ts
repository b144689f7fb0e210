// Evaluates a scenario cell by cell, yielding events as it goes.
import type { EngineEvent } from './events';
import type { JsonPath } from './results';

export interface EvaluateOptions {
  /** Aborting stops the run between cells, sweep points and training steps. */
  signal?: AbortSignal;
  /** Run only this cell (and the loss cell a sweep depends on). */
  cellId?: string;
  /** Minimum milliseconds between training progress events (0: every step). */
  progressIntervalMs?: number;
  /** Reads an {"npy": path} file; rejects with a readable message. The engine itself touches no file system. */
  loadNpy?: (relativePath: string, path: JsonPath) => Promise<Uint8Array>;
  /** Awaited before every training step: how Pause and Step hold a run. */
  beforeStep?: () => Promise<void>;
  /** Title when the scenario has none (the file name). */
  defaultTitle?: string;
}

export async function* evaluateScenario(_text: string, _options: EvaluateOptions = {}): AsyncGenerator<EngineEvent> {
  yield { kind: 'done', cancelled: false };
}

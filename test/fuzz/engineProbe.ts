// Runs scenarios through the engine in a worker thread with a heap limit and a
// watchdog: each answer comes back, or the case is reported as a crash, a hang
// (past `timeoutMs`) or out of memory, and the worker is replaced.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleForNode } from '../helpers/nodeBundle';
import type { ProbeAnswer, ProbeRequest } from './probeWorker';

export type ProbeOutcome =
  { kind: 'answer'; answer: ProbeAnswer; ms: number } | { kind: 'hang' | 'crash' | 'out-of-memory'; detail: string; ms: number };

export const bundleProbeWorker = (): Promise<string> => bundleForNode(path.join(__dirname, 'probeWorker.ts'));

export class EngineProbe {
  private worker: Worker | null = null;

  constructor(
    private readonly script: string,
    private readonly options: { timeoutMs: number; maxMemoryMb: number; files?: Record<string, Uint8Array>; maxWork?: number },
  ) {}

  private start(): Worker {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb } });
    this.worker = worker;
    return worker;
  }

  run(text: string): Promise<ProbeOutcome> {
    const fresh = !this.worker;
    const worker = this.worker ?? this.start();
    const start = performance.now();
    return new Promise((resolve) => {
      const ms = () => performance.now() - start;
      const onMessage = (answer: ProbeAnswer) => done({ kind: 'answer', answer, ms: ms() }, false);
      const onError = (error: Error & { code?: string }) =>
        done({ kind: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash', detail: error.message, ms: ms() }, true);
      const onExit = (code: number) => done({ kind: 'crash', detail: `worker exited with ${code}`, ms: ms() }, true);
      const done = (outcome: ProbeOutcome, replace: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (replace) {
          void worker.terminate();
          this.worker = null;
        }
        resolve(outcome);
      };
      const timer = setTimeout(
        () => done({ kind: 'hang', detail: `no answer after ${this.options.timeoutMs} ms`, ms: ms() }, true),
        this.options.timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      const request: ProbeRequest = { text, files: fresh ? this.options.files : undefined, maxWork: this.options.maxWork };
      worker.postMessage(request);
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}

// Host side of the engine worker: starts it on first use, runs one scenario at
// a time (a newer request supersedes the run in flight), and replaces a worker
// that crashed or hung. No vscode import: the supersede/crash logic is unit-tested
// with a fake worker.
import { assertNever } from '../core/assertNever';
import type { EngineEvent } from '../core/events';
import type { Limits } from '../core/limits';
import type { DiskFolder, EvaluateRequest, HostToWorker, JsonSyntaxError, WorkerToHost } from '../core/protocol';
import { messageOf } from '../core/errorMessage';
import type { RowDetail } from '../core/results';

/** The few things the client needs from a worker (a worker_threads Worker or a Web Worker). */
export interface WorkerHandle {
  post(message: HostToWorker): void;
  terminate(): void;
}
export interface WorkerListeners {
  message(message: WorkerToHost): void;
  /** The worker died: an uncaught error, an exit, or out of memory. */
  died(reason: string): void;
}
export type SpawnWorker = (listeners: WorkerListeners) => WorkerHandle;

export type RunOutcome =
  | { kind: 'finished' }
  /** A newer run replaced it; its remaining events are dropped. */
  | { kind: 'superseded' }
  /** The worker crashed, hung, failed to stop or the engine threw; `message` says which. */
  | { kind: 'failed'; message: string };

export interface RunCallbacks {
  events(events: EngineEvent[]): void;
  /** The text is not JSON; nothing was evaluated (the run then ends as finished). */
  syntaxError?(error: JsonSyntaxError): void;
  end(outcome: RunOutcome): void;
  /** The bytes of a file the scenario names, relative to it; rejects with a message for the scenario's error. */
  readFile(relativePath: string, maxBytes: number): Promise<Uint8Array>;
  /** A range of such a file, with its size and version; absent: this host cannot stream files. */
  readRange?(relativePath: string, offset: number, length: number): Promise<FileRange>;
}

/** Bytes of a file, and the file's size and version (size and modification time) when they were read. */
export interface FileRange {
  bytes: Uint8Array;
  size: number;
  version: string;
}

export type RunRequest = Omit<EvaluateRequest, 'type' | 'runId'>;
export type DetailRequest = { text: string; cellId: string; element: number; disk?: DiskFolder };
export type FileCallbacks = Pick<RunCallbacks, 'readFile' | 'readRange'>;

/** What a caller needs of the engine: one run at a time, a newer one superseding the run in flight. */
export interface Engine {
  /** Starts a run and returns its id. */
  evaluate(request: RunRequest, callbacks: RunCallbacks): number;
  /** Starts a run alongside the one in flight, which goes on. */
  evaluateBeside(request: RunRequest, callbacks: RunCallbacks): number;
  cancel(): void;
  /** One element of a loss cell, computed alongside any run (a streamed cell's kept pass serves it). */
  detail(request: DetailRequest, files: FileCallbacks): Promise<RowDetail>;
  /** Stops the run in flight only, not the run beside it. */
  cancelInFlight(): void;
  setPaused(paused: boolean): void;
  step(): void;
}

export interface EngineClientOptions {
  spawn: SpawnWorker;
  /** Read on every run, so a settings change applies to the next one. */
  runTimeoutMs(): number;
  /** How long Stop waits for the engine to wind down before killing the worker. */
  stopGraceMs?: number;
  /** The limits settings, read on every run. */
  limits?(): Partial<Limits>;
}

interface Run {
  runId: number;
  callbacks: RunCallbacks;
  paused: boolean;
}

export class EngineClient implements Engine {
  private worker: WorkerHandle | null = null;
  private current: Run | null = null;
  /** A run of the other cells beside `current`, whose training goes on (see ScenarioRunner). */
  private beside: Run | null = null;
  private nextRunId = 1;
  /** Detail requests waiting for their answer, by run id (their file reads are answered like a run's). */
  private readonly details = new Map<number, { files: FileCallbacks; resolve(detail: RowDetail): void; reject(error: Error): void }>();
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: EngineClientOptions) {}

  get running(): boolean {
    return this.current !== null;
  }
  get paused(): boolean {
    return this.current?.paused ?? false;
  }

  /** Starts a run, superseding the one in flight (and any beside it). */
  evaluate(request: RunRequest, callbacks: RunCallbacks): number {
    this.supersede();
    this.supersedeBeside();
    const run: Run = { runId: this.nextRunId++, callbacks, paused: false };
    this.current = run;
    this.ensureWorker().post({ type: 'evaluate', runId: run.runId, limits: this.options.limits?.(), ...request });
    this.armWatchdog();
    return run.runId;
  }

  /**
   * Starts a run alongside the one in flight, which goes on; it supersedes only
   * an earlier run beside. Without a run in flight it is an ordinary run.
   */
  evaluateBeside(request: RunRequest, callbacks: RunCallbacks): number {
    if (!this.current) return this.evaluate(request, callbacks);
    this.supersedeBeside();
    const run: Run = { runId: this.nextRunId++, callbacks, paused: false };
    this.beside = run;
    this.ensureWorker().post({ type: 'evaluate', runId: run.runId, limits: this.options.limits?.(), ...request, beside: true });
    return run.runId;
  }

  detail(request: DetailRequest, files: FileCallbacks): Promise<RowDetail> {
    const runId = this.nextRunId++;
    return new Promise((resolve, reject) => {
      this.details.set(runId, { files, resolve, reject });
      this.ensureWorker().post({ type: 'detail', runId, limits: this.options.limits?.(), ...request });
    });
  }

  /** Stops the run in flight only (its training done, the rest is the run beside's). */
  cancelInFlight(): void {
    const run = this.current;
    if (run) this.worker?.post({ type: 'cancel', runId: run.runId });
  }

  /** Stop: the runs end with the engine's own `done {cancelled: true}`, or are killed if they do not. */
  cancel(): void {
    if (this.beside) this.worker?.post({ type: 'cancel', runId: this.beside.runId });
    const run = this.current;
    if (!run || !this.worker) return;
    run.paused = false;
    this.worker.post({ type: 'cancel', runId: run.runId });
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => {
      if (this.current === run) this.fail(run, 'The engine did not stop in time; its worker was restarted.');
    }, this.options.stopGraceMs ?? 3000);
  }

  setPaused(paused: boolean): void {
    const run = this.current;
    if (!run || !this.worker) return;
    run.paused = paused;
    this.worker.post({ type: 'pause', runId: run.runId, paused });
    this.armWatchdog();
  }

  step(): void {
    const run = this.current;
    if (!run || !this.worker) return;
    this.worker.post({ type: 'step', runId: run.runId });
  }

  /** Debug: kill the worker as a crash would (see ceLab.debug.killWorker). */
  killWorker(): void {
    if (!this.worker) return;
    const worker = this.worker;
    this.onDied(worker, 'killed on request');
  }

  dispose(): void {
    this.supersede();
    this.dropWorker();
  }

  private supersede(): void {
    const run = this.current;
    if (!run) return;
    this.worker?.post({ type: 'cancel', runId: run.runId });
    this.endRun(run, { kind: 'superseded' });
  }

  private supersedeBeside(): void {
    const run = this.beside;
    if (!run) return;
    this.worker?.post({ type: 'cancel', runId: run.runId });
    this.endRun(run, { kind: 'superseded' });
  }

  /** The run a worker message is about: in flight or beside it. */
  /** Who answers a file request of run `runId`: a run's callbacks, or a detail request's. */
  private filesOf(runId: number): FileCallbacks | null {
    return this.runOf(runId)?.callbacks ?? this.details.get(runId)?.files ?? null;
  }

  private runOf(runId: number): Run | null {
    if (this.current?.runId === runId) return this.current;
    return this.beside?.runId === runId ? this.beside : null;
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    const worker: WorkerHandle = this.options.spawn({
      message: (message) => {
        if (this.worker === worker) this.onMessage(message);
      },
      died: (reason) => {
        if (this.worker === worker) this.onDied(worker, reason);
      },
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: WorkerToHost): void {
    if (message.type === 'readFile') return void this.answerReadFile(message);
    if (message.type === 'readRange') return void this.answerReadRange(message);
    if (message.type === 'detail') return this.answerDetail(message);
    if (message.type === 'ready') return;
    const run = this.runOf(message.runId);
    if (!run) return;
    if (run === this.current) this.armWatchdog();
    switch (message.type) {
      case 'events':
        run.callbacks.events(message.events);
        break;
      case 'syntax-error':
        run.callbacks.syntaxError?.(message.error);
        break;
      case 'finished':
        this.endRun(run, { kind: 'finished' });
        break;
      case 'error':
        this.endRun(run, { kind: 'failed', message: `The engine failed: ${message.message}` });
        break;
      default:
        assertNever(message, 'worker message');
    }
  }

  private answerReadFile(message: Extract<WorkerToHost, { type: 'readFile' }>): Promise<void> {
    return this.answerFiles(message, 'file', async (files) => ({ bytes: await files.readFile(message.path, message.maxBytes) }));
  }

  private answerReadRange(message: Extract<WorkerToHost, { type: 'readRange' }>): Promise<void> {
    return this.answerFiles(message, 'range', (files) => {
      if (!files.readRange) throw new Error('this window cannot stream files');
      return files.readRange(message.path, message.offset, message.length);
    });
  }

  /** Every file request gets an answer (`type` with what `read` gives, or an error), so no worker waits forever on a superseded run's file. */
  private async answerFiles<T extends 'file' | 'range'>(
    { runId, requestId }: { runId: number; requestId: number },
    type: T,
    read: (files: FileCallbacks) => Promise<Omit<Extract<HostToWorker, { type: T; bytes: Uint8Array }>, 'type' | 'requestId'>>,
  ): Promise<void> {
    const worker = this.worker;
    const files = this.filesOf(runId);
    let answer: HostToWorker;
    try {
      if (!files) throw new Error('the run was superseded');
      answer = { type, requestId, ...(await read(files)) } as HostToWorker;
    } catch (err) {
      answer = { type, requestId, error: messageOf(err) } as HostToWorker;
    }
    if (this.worker === worker) worker?.post(answer);
  }

  private answerDetail(message: Extract<WorkerToHost, { type: 'detail' }>): void {
    const request = this.details.get(message.runId);
    if (!request) return;
    this.details.delete(message.runId);
    if ('error' in message) request.reject(new Error(message.error));
    else request.resolve(message.detail);
  }

  private onDied(worker: WorkerHandle, reason: string): void {
    if (this.worker !== worker) return;
    this.dropWorker();
    // The next evaluate starts a fresh worker.
    const message = `The engine worker crashed (${reason}) and was restarted; the run was stopped.`;
    for (const run of [this.beside, this.current]) if (run) this.endRun(run, { kind: 'failed', message });
  }

  /** Ends `run` (and the run beside it, on the same worker) as failed and replaces the worker, which may be stuck in it. */
  private fail(run: Run, message: string): void {
    this.dropWorker();
    if (this.beside) this.endRun(this.beside, { kind: 'failed', message });
    this.endRun(run, { kind: 'failed', message });
  }

  private endRun(run: Run, outcome: RunOutcome): void {
    if (this.beside === run) {
      this.beside = null;
      return run.callbacks.end(outcome);
    }
    if (this.current !== run) return;
    this.current = null;
    clearTimeout(this.watchdog);
    clearTimeout(this.stopTimer);
    run.callbacks.end(outcome);
  }

  private dropWorker(): void {
    const worker = this.worker;
    this.worker = null;
    for (const request of this.details.values()) request.reject(new Error('the engine worker was restarted'));
    this.details.clear();
    worker?.terminate();
  }

  /** While a run is going and not paused, silence for runTimeoutMs means the worker hung. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    const run = this.current;
    if (!run || run.paused) return;
    const ms = this.options.runTimeoutMs();
    if (!(ms > 0)) return;
    this.watchdog = setTimeout(() => {
      if (this.current === run) this.fail(run, `The engine sent nothing for ${Math.round(ms / 1000)} s; its worker was restarted.`);
    }, ms);
  }
}

// Host side of the engine worker: starts it on first use, talks to it over the
// one request/reply channel (core/channel.ts), and replaces a worker that
// crashed, hung or did not stop in time. What runs when is the worker's call
// (worker/scheduler.ts). No vscode import: unit-tested with a fake worker.
import { Channel, type Handlers, type Wire } from '../core/channel';
import type { PanelEvent } from '../core/events';
import type { Limits } from '../core/limits';
import type { FileRange, HostApi, JsonSyntaxError, RunEnd, RunRequest, WorkerApi } from '../core/protocol';
import type { RowDetail } from '../core/results';

/** The few things the client needs from a worker (a worker_threads Worker or a Web Worker). */
export interface WorkerHandle {
  post(wire: Wire): void;
  terminate(): void;
}
export interface WorkerListeners {
  message(wire: Wire): void;
  /** The worker died: an uncaught error, an exit, or out of memory. */
  died(reason: string): void;
}
export type SpawnWorker = (listeners: WorkerListeners) => WorkerHandle;

/** What the worker reports and asks of the host (the ScenarioRunner). */
export interface EngineHost {
  events(uri: string, events: PanelEvent[]): void;
  /** The text of `uri` is not JSON; nothing was evaluated. */
  syntax(uri: string, error: JsonSyntaxError): void;
  readFile(uri: string, path: string, maxBytes: number): Promise<Uint8Array>;
  /** A range of a file; absent: this host cannot stream files. */
  readRange?(uri: string, path: string, offset: number, length: number): Promise<FileRange>;
  /** The worker was lost and replaced (`stopped`: it did not stop in time after Stop); its runs are over. */
  lost(message: string, stopped: boolean): void;
}

type Requests = WorkerApi['requests'];
export type DetailRequest = Parameters<Requests['detail']>[0];
export type ExportRequest = Parameters<Requests['exportResults']>[0];

/** What a caller needs of the engine. */
export interface Engine {
  /** Where the worker's events and file requests go. */
  connect(host: EngineHost): void;
  /** Resolves when the work it started is over; rejects when the engine failed or its worker was lost. */
  run(request: Omit<RunRequest, 'limits'>): Promise<RunEnd>;
  detail(request: Omit<DetailRequest, 'limits'>): Promise<RowDetail>;
  exportResults(request: ExportRequest): Promise<Uint8Array | null>;
  stop(): void;
  setPaused(paused: boolean): void;
  step(): void;
  forget(uri: string): void;
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

interface Live {
  handle: WorkerHandle;
  channel: Channel<HostApi, WorkerApi>;
}

export class EngineClient implements Engine {
  private worker: Live | null = null;
  private host: EngineHost | null = null;
  /** `run` requests not answered yet. */
  private runs = 0;
  private paused = false;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: EngineClientOptions) {}

  connect(host: EngineHost): void {
    this.host = host;
  }

  /** Whether a run is going. */
  get running(): boolean {
    return this.runs > 0;
  }

  async run(request: Omit<RunRequest, 'limits'>): Promise<RunEnd> {
    const channel = this.ensureWorker().channel;
    this.runs++;
    this.armWatchdog();
    try {
      return await channel.request('run', { ...request, limits: this.options.limits?.() });
    } finally {
      if (--this.runs === 0) this.idle();
    }
  }

  detail(request: Omit<DetailRequest, 'limits'>): Promise<RowDetail> {
    return this.ensureWorker().channel.request('detail', { ...request, limits: this.options.limits?.() });
  }

  exportResults(request: ExportRequest): Promise<Uint8Array | null> {
    return this.ensureWorker().channel.request('exportResults', request);
  }

  /** Stop: the runs end with the engine's own cancelled `done`, or the worker is replaced if they do not. */
  stop(): void {
    if (!this.worker) return;
    this.paused = false;
    this.worker.channel.notify('stop', null);
    if (!this.running) return;
    const worker = this.worker;
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => {
      if (this.worker === worker && this.running) this.lose('The engine did not stop in time; its worker was restarted.', true);
    }, this.options.stopGraceMs ?? 3000);
  }

  setPaused(paused: boolean): void {
    if (!this.worker || !this.running) return;
    this.paused = paused;
    this.worker.channel.notify('pause', { paused });
    this.armWatchdog();
  }

  step(): void {
    this.worker?.channel.notify('step', null);
  }

  forget(uri: string): void {
    this.worker?.channel.notify('forget', { uri });
  }

  /** Debug: kill the worker as a crash would (see ceLab.debug.killWorker). */
  killWorker(): void {
    if (this.worker) this.lose('The engine worker crashed (killed on request) and was restarted; the run was stopped.', false);
  }

  dispose(): void {
    this.drop('the engine was shut down');
  }

  private ensureWorker(): Live {
    if (this.worker) return this.worker;
    const handlers: Handlers<HostApi> = {
      requests: {
        readFile: ({ uri, path, maxBytes }) => this.hostOf().readFile(uri, path, maxBytes),
        readRange: ({ uri, path, offset, length }) => {
          const host = this.hostOf();
          if (!host.readRange) throw new Error('this window cannot stream files');
          return host.readRange(uri, path, offset, length);
        },
      },
      notices: {
        events: ({ uri, events }) => this.hostOf().events(uri, events),
        syntax: ({ uri, error }) => this.hostOf().syntax(uri, error),
      },
    };
    let live: Live | null = null;
    const handle = this.options.spawn({
      message: (wire) => {
        if (!live || this.worker !== live) return;
        this.armWatchdog();
        live.channel.receive(wire);
      },
      died: (reason) => {
        if (this.worker === live) this.lose(`The engine worker crashed (${reason}) and was restarted; the run was stopped.`, false);
      },
    });
    live = { handle, channel: new Channel<HostApi, WorkerApi>((wire) => handle.post(wire), handlers) };
    this.worker = live;
    return live;
  }

  private hostOf(): EngineHost {
    if (!this.host) throw new Error('the engine has no host connected');
    return this.host;
  }

  /** The worker is gone or useless: its requests fail with `message`, and the next request starts a fresh one. */
  private lose(message: string, stopped: boolean): void {
    this.drop(message);
    this.host?.lost(message, stopped);
  }

  private drop(message: string): void {
    const worker = this.worker;
    this.worker = null;
    this.idle();
    worker?.channel.close(message);
    worker?.handle.terminate();
  }

  private idle(): void {
    this.paused = false;
    clearTimeout(this.watchdog);
    clearTimeout(this.stopTimer);
  }

  /** While a run is going and not paused, silence for runTimeoutMs means the worker hung. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    if (!this.running || this.paused) return;
    const ms = this.options.runTimeoutMs();
    if (!(ms > 0)) return;
    const worker = this.worker;
    this.watchdog = setTimeout(() => {
      if (this.worker === worker && this.running)
        this.lose(`The engine sent nothing for ${Math.round(ms / 1000)} s; its worker was restarted.`, false);
    }, ms);
  }
}

// Keeps the run state of every scenario document, as the panel draws it (folded
// with the engine's own applyEvent), and passes runs to the Engine (the
// worker's EngineClient), which decides what runs when. vscode-free: listeners
// (panel, diagnostics) subscribe with plain callbacks.
import { ChannelClosedError } from '../core/channel';
import { messageOf } from '../core/errorMessage';
import type { PanelEvent } from '../core/events';
import type { DiskFolder, FileRange, JsonSyntaxError } from '../core/protocol';
import type { RowDetail, RowsPage } from '../core/results';
import { applyEvent, emptyRunState, failRunningCells, type PanelRunState } from '../core/runState';
import { thinTraining } from '../core/trainThinning';
import type { Engine, EngineHost } from './engineClient';

export interface ScenarioSource {
  uri: string;
  text: string;
  /** URI of the folder the scenario's relative file paths start from; null for an untitled scenario. */
  folder: string | null;
  /** URI of the workspace folder files must stay inside; null: the scenario's own folder. */
  root: string | null;
}

/** Reads a file a scenario names (extension/files/readScenarioFile.ts). */
export type ScenarioFileReader = (source: ScenarioSource, relativePath: string, maxBytes: number) => Promise<Uint8Array>;
/** Reads a range of such a file (extension/files/readScenarioFile.ts). */
export type ScenarioRangeReader = (source: ScenarioSource, relativePath: string, offset: number, length: number) => Promise<FileRange>;

/** How the engine reads a scenario's files besides whole (extension/files/readScenarioFile.ts and its web twin). */
export interface ScenarioRanges {
  readRange?: ScenarioRangeReader;
  /** The scenario's folders on disk, where a Node worker can read its files itself; null elsewhere. */
  onDisk?: (source: ScenarioSource) => DiskFolder | null;
}

export interface RunUpdate {
  uri: string;
  /** The events just folded into the document's state. */
  events: PanelEvent[];
}
export interface Notice {
  uri: string | null;
  level: 'info' | 'warning' | 'error';
  message: string;
}

export class ScenarioRunner {
  private readonly states = new Map<string, PanelRunState>();
  private readonly updateListeners = new Set<(u: RunUpdate) => void>();
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private readonly runningListeners = new Set<(uri: string | null) => void>();
  private readonly syntaxListeners = new Set<(uri: string, error: JsonSyntaxError | null) => void>();
  /** Documents whose latest text does not parse; their state is from the last text that did. */
  private readonly syntaxErrors = new Map<string, JsonSyntaxError>();
  /** The text each document was last evaluated from. */
  private readonly texts = new Map<string, string>();
  /** Where each document's files are: the worker asks for them by the document's URI. */
  private readonly sources = new Map<string, ScenarioSource>();
  /** The text a panel gesture is writing into each document (see panelWrites). */
  private readonly panelTexts = new Map<string, string>();
  /** `run` calls not over yet, by document; the newest document with one is the one running. */
  private readonly pending = new Map<string, number>();
  private running: string | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly readFile: ScenarioFileReader,
    private readonly ranges: ScenarioRanges = {},
  ) {
    engine.connect(this.engineHost());
  }

  state(uri: string): PanelRunState | undefined {
    return this.states.get(uri);
  }
  forget(uri: string): void {
    this.states.delete(uri);
    this.syntaxErrors.delete(uri);
    this.texts.delete(uri);
    this.sources.delete(uri);
    this.engine.forget(uri);
  }

  /** Why the document's latest text does not parse, or null when it does. */
  syntaxError(uri: string): JsonSyntaxError | null {
    return this.syntaxErrors.get(uri) ?? null;
  }
  onSyntax(listener: (uri: string, error: JsonSyntaxError | null) => void): () => void {
    this.syntaxListeners.add(listener);
    return () => this.syntaxListeners.delete(listener);
  }

  /** The text the document's latest run started from. */
  lastText(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** A panel gesture is writing `text` into the document: it was evaluated already, or a newer gesture superseded it. */
  panelWrites(uri: string, text: string): void {
    this.panelTexts.set(uri, text);
  }
  /** Whether the document's new `text` is a panel gesture's write (noted by panelWrites); asks once. */
  isPanelWrite(uri: string, text: string): boolean {
    const panel = this.panelTexts.get(uri) === text;
    this.panelTexts.delete(uri);
    return panel;
  }

  onUpdate(listener: (u: RunUpdate) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }
  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** One element of loss cell `cellId` of the document (a row clicked in the panel). */
  detail(source: ScenarioSource, cellId: string, element: number): Promise<RowDetail> {
    this.sources.set(source.uri, source);
    return this.engine.detail({ uri: source.uri, text: source.text, cellId, element, ...this.diskOf(source) });
  }

  /** The document's results as `ce-lab run --json` writes them (one cell's, with `cellId`); null once written to `file`. */
  exportResults(uri: string, cellId?: string, file?: string): Promise<Uint8Array | null> {
    return this.engine.exportResults({ uri, ...(cellId === undefined ? {} : { cellId }), ...(file === undefined ? {} : { file }) });
  }

  /** A page of streamed loss cell `cellId`'s per-element facts. */
  rows(uri: string, cellId: string, from: number, count: number): Promise<RowsPage> {
    return this.engine.rows({ uri, cellId, from, count });
  }

  /** The document whose run is in flight, or null. */
  get runningUri(): string | null {
    return this.running;
  }
  onRunning(listener: (uri: string | null) => void): () => void {
    this.runningListeners.add(listener);
    return () => this.runningListeners.delete(listener);
  }

  /**
   * Evaluates the scenario (or one cell of it); resolves with the state when the work it started is over.
   * The worker decides what that is: a training an edit leaves alone goes on beside the edit's run.
   */
  async run(source: ScenarioSource, cellId?: string): Promise<PanelRunState> {
    const { uri } = source;
    const state = this.states.get(uri) ?? emptyRunState();
    this.states.set(uri, state);
    this.texts.set(uri, source.text);
    this.sources.set(uri, source);
    this.pending.set(uri, (this.pending.get(uri) ?? 0) + 1);
    this.setRunning(uri);
    try {
      await this.engine.run({ uri, text: source.text, ...(cellId === undefined ? {} : { cellId }), ...this.diskOf(source) });
    } catch (err) {
      // A lost worker was reported once, by `lost`; an engine failure is said here (its cells already show it).
      if (!(err instanceof ChannelClosedError)) this.notify({ uri, level: 'error', message: messageOf(err) });
    } finally {
      const left = (this.pending.get(uri) ?? 1) - 1;
      if (left > 0) this.pending.set(uri, left);
      else this.pending.delete(uri);
      this.setRunning([...this.pending.keys()].at(-1) ?? null);
    }
    return state;
  }

  /**
   * Runs `source` and resolves once cell `index` has its answer (its result or failure), or once the run is over:
   * a drag's next value must not wait for a training that runs after the cell it edits.
   */
  runUntilAnswered(source: ScenarioSource, index: number): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onUpdate(({ uri, events }) => {
        if (uri === source.uri && events.some((e) => (e.kind === 'cell-result' || e.kind === 'cell-failed') && e.index === index)) answered();
      });
      const answered = () => {
        off();
        resolve();
      };
      void this.run(source).finally(answered);
    });
  }

  stop(): void {
    this.engine.stop();
  }
  setPaused(paused: boolean): void {
    this.engine.setPaused(paused);
  }
  step(): void {
    this.engine.step();
  }

  /** Where `source`'s files are on disk, for the request (absent off disk). */
  private diskOf(source: ScenarioSource): { disk?: DiskFolder } {
    const disk = this.ranges.onDisk?.(source);
    return disk ? { disk } : {};
  }

  private sourceOf(uri: string): ScenarioSource {
    const source = this.sources.get(uri);
    if (!source) throw new Error('the scenario was closed');
    return source;
  }

  private engineHost(): EngineHost {
    const readRange = this.ranges.readRange;
    return {
      events: (uri, events) => {
        this.setSyntaxError(uri, null);
        this.fold(uri, events);
      },
      syntax: (uri, error) => this.setSyntaxError(uri, error),
      readFile: (uri, path, maxBytes) => this.readFile(this.sourceOf(uri), path, maxBytes),
      ...(readRange
        ? { readRange: (uri: string, path: string, offset: number, length: number) => readRange(this.sourceOf(uri), path, offset, length) }
        : {}),
      lost: (message, stopped) => this.lost(message, stopped),
    };
  }

  /**
   * The worker was replaced: every run it had is over. Their cells show it (failed with why, or stopped after
   * a Stop it did not take in time), and the message is said once.
   */
  private lost(message: string, stopped: boolean): void {
    for (const [uri, state] of this.states) {
      if (state.finished) continue;
      this.fold(uri, [...(stopped ? [] : failRunningCells(state, message)), { kind: 'done', cancelled: true }]);
    }
    this.notify({ uri: this.running, level: 'error', message });
  }

  private notify(notice: Notice): void {
    for (const l of this.noticeListeners) l(notice);
  }

  private setSyntaxError(uri: string, error: JsonSyntaxError | null): void {
    const before = this.syntaxErrors.get(uri) ?? null;
    if (before === null && error === null) return;
    if (error) this.syntaxErrors.set(uri, error);
    else this.syntaxErrors.delete(uri);
    for (const l of this.syntaxListeners) l(uri, error);
  }

  private setRunning(uri: string | null): void {
    if (this.running === uri) return;
    this.running = uri;
    for (const l of this.runningListeners) l(uri);
  }

  private fold(uri: string, events: PanelEvent[]): void {
    const state = this.states.get(uri);
    if (!state || events.length === 0) return;
    for (const e of events) {
      applyEvent(state, e);
      // A long training is kept as the panel can draw it: a hydrate then carries thousands of points, not millions.
      const train = e.kind === 'train-progress' ? state.cells[e.index]?.train : null;
      if (train) thinTraining(train);
    }
    for (const l of this.updateListeners) l({ uri, events });
  }
}

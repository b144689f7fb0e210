// Keeps the RunState of every scenario document (folded with the engine's own
// applyEvent) and drives runs through an Engine (the worker's EngineClient). vscode-free: listeners
// (panel, diagnostics) subscribe with plain callbacks.
import type { EngineEvent } from '../core/events';
import type { DiskFolder, JsonSyntaxError } from '../core/protocol';
import type { RowDetail } from '../core/results';
import { applyEvent, emptyRunState, type RunState } from '../core/runState';
import { thinTraining } from '../core/trainThinning';
import type { Engine, FileCallbacks, FileRange, RunCallbacks, RunOutcome } from './engineClient';
import { onlyOtherCellsChanged } from './jsonPaths';

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
  events: EngineEvent[];
}
export interface Notice {
  uri: string | null;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** A document's run in flight: one engine run, joined by a run beside it while its training is kept going. */
interface InFlight {
  uri: string;
  cellId: string | undefined;
  /** Set once a run beside took over the other cells: the index of the training cell kept going. */
  keepOnly: number | null;
  /** Runs of the group not yet done. */
  parts: number;
  cancelled: boolean;
  /** The run in flight stopped itself after its training: not a cancel the user asked for. */
  quiet: boolean;
}

export class ScenarioRunner {
  private readonly states = new Map<string, RunState>();
  private readonly updateListeners = new Set<(u: RunUpdate) => void>();
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private readonly runningListeners = new Set<(uri: string | null) => void>();
  private readonly syntaxListeners = new Set<(uri: string, error: JsonSyntaxError | null) => void>();
  /** Documents whose latest text does not parse; their state is from the last text that did. */
  private readonly syntaxErrors = new Map<string, JsonSyntaxError>();
  /** The text each document was last evaluated from. */
  private readonly texts = new Map<string, string>();
  /** The text a panel gesture is writing into each document (see panelWrites). */
  private readonly panelTexts = new Map<string, string>();
  /** The run in flight (the engine runs one at a time); an object, so a superseded run's end cannot clear its successor. */
  private inFlight: InFlight | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly readFile: ScenarioFileReader,
    private readonly ranges: ScenarioRanges = {},
  ) {}

  state(uri: string): RunState | undefined {
    return this.states.get(uri);
  }
  forget(uri: string): void {
    this.states.delete(uri);
    this.syntaxErrors.delete(uri);
    this.texts.delete(uri);
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
    return this.engine.detail({ text: source.text, cellId, element, ...this.diskOf(source) }, this.filesOf(source));
  }

  /** Where `source`'s files are on disk, for the request (absent off disk). */
  private diskOf(source: ScenarioSource): { disk?: DiskFolder } {
    const disk = this.ranges.onDisk?.(source);
    return disk ? { disk } : {};
  }

  /** How the engine reads the files `source` names. */
  private filesOf(source: ScenarioSource): FileCallbacks {
    const readRange = this.ranges.readRange;
    return {
      readFile: (relativePath, maxBytes) => this.readFile(source, relativePath, maxBytes),
      ...(readRange ? { readRange: (relativePath: string, offset: number, length: number) => readRange(source, relativePath, offset, length) } : {}),
    };
  }

  /** The document whose run is in flight, or null. */
  get runningUri(): string | null {
    return this.inFlight?.uri ?? null;
  }
  onRunning(listener: (uri: string | null) => void): () => void {
    this.runningListeners.add(listener);
    return () => this.runningListeners.delete(listener);
  }

  /**
   * Evaluates the scenario (or one cell of it); resolves with the state when the run ends or is superseded.
   * While a training runs, an edit that leaves its cell (and everything it depends on) alone does not
   * restart it: the other cells are evaluated beside it.
   */
  run(source: ScenarioSource, cellId?: string): Promise<RunState> {
    const kept = cellId === undefined ? this.trainingToKeep(source) : null;
    const state = this.states.get(source.uri) ?? emptyRunState();
    this.states.set(source.uri, state);
    this.texts.set(source.uri, source.text);
    const beside = kept !== null && this.inFlight !== null;
    const group: InFlight = beside ? this.inFlight! : { uri: source.uri, cellId, keepOnly: null, parts: 0, cancelled: false, quiet: false };
    if (kept) group.keepOnly = kept.index;
    group.parts++;
    if (!beside) this.setInFlight(group);
    let sawDone = false;
    return new Promise((resolve) => {
      const request = { text: source.text, cellId, ...this.diskOf(source), ...(kept ? { skipCellIds: [kept.id] } : {}) };
      const callbacks: RunCallbacks = {
        ...this.filesOf(source),
        events: (events) => {
          this.setSyntaxError(source.uri, null);
          let shown = cellId || beside ? keepOtherCells(state, events) : events;
          if (!beside && group.keepOnly !== null) shown = this.keepTraining(group, shown);
          sawDone ||= shown.some((e) => e.kind === 'done');
          this.fold(source.uri, this.closing(group, shown, !beside && group.quiet));
        },
        syntaxError: (error) => this.setSyntaxError(source.uri, error),
        end: (outcome) => {
          if (!beside && this.inFlight === group) this.setInFlight(null);
          // A run beside replaced by a newer one beside: it no longer counts towards the document's end.
          if (beside && !sawDone && outcome.kind === 'superseded') group.parts--;
          if (!beside || outcome.kind === 'failed') this.ended(source.uri, outcome, beside);
          resolve(state);
        },
      };
      if (beside) this.engine.evaluateBeside(request, callbacks);
      else this.engine.evaluate(request, callbacks);
    });
  }

  stop(): void {
    this.engine.cancel();
  }
  setPaused(paused: boolean): void {
    this.engine.setPaused(paused);
  }
  step(): void {
    this.engine.step();
  }

  /** The training cell in flight that `source` leaves alone, if any: it goes on while the other cells run beside it. */
  private trainingToKeep(source: ScenarioSource): { index: number; id: string } | null {
    const group = this.inFlight;
    if (!group || group.uri !== source.uri || group.cellId !== undefined) return null;
    const training = this.states.get(source.uri)?.cells.find((c) => c.status === 'running' && c.header.type === 'train');
    const before = this.texts.get(source.uri);
    if (!training || before === undefined || (group.keepOnly !== null && group.keepOnly !== training.header.index)) return null;
    return onlyOtherCellsChanged(before, source.text, training.header.index) ? training.header : null;
  }

  /** The run in flight, once a run beside took over the other cells: only its training's events count, and it stops when that is over. */
  private keepTraining(group: InFlight, events: EngineEvent[]): EngineEvent[] {
    const kept = events.filter((e) => e.kind === 'done' || ('index' in e && e.index === group.keepOnly));
    if (!group.quiet && kept.some((e) => (e.kind === 'cell-result' || e.kind === 'cell-failed') && e.index === group.keepOnly)) {
      group.quiet = true;
      this.engine.cancelInFlight();
    }
    return kept;
  }

  /** Each run of the group says `done`; the document's run is done (and folds one `done`) when the last one does. */
  private closing(group: InFlight, events: EngineEvent[], quiet: boolean): EngineEvent[] {
    return events.flatMap((e): EngineEvent[] => {
      if (e.kind !== 'done') return [e];
      group.parts--;
      group.cancelled ||= e.cancelled && !quiet;
      return group.parts <= 0 ? [{ kind: 'done', cancelled: group.cancelled }] : [];
    });
  }

  private setSyntaxError(uri: string, error: JsonSyntaxError | null): void {
    const before = this.syntaxErrors.get(uri) ?? null;
    if (before === null && error === null) return;
    if (error) this.syntaxErrors.set(uri, error);
    else this.syntaxErrors.delete(uri);
    for (const l of this.syntaxListeners) l(uri, error);
  }

  private setInFlight(run: InFlight | null): void {
    this.inFlight = run;
    for (const l of this.runningListeners) l(run?.uri ?? null);
  }

  private fold(uri: string, events: EngineEvent[]): void {
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

  private ended(uri: string, outcome: RunOutcome, beside = false): void {
    if (outcome.kind !== 'failed') return;
    const state = this.states.get(uri);
    // The engine never said `done`: the cells it was running fail with the reason (out of memory, hung), and the run is closed.
    if (state?.finished === false) this.fold(uri, [...failRunningCells(state, outcome.message), { kind: 'done', cancelled: true }]);
    // A failure beside the run in flight is that run's failure too, and said once, by it.
    if (!beside) for (const l of this.noticeListeners) l({ uri, level: 'error', message: outcome.message });
  }
}

/**
 * A one-cell run starts with a `scenario` event that would reset every cell to
 * pending; when the document still has the same cells, keep their results.
 */
export function keepOtherCells(state: RunState, events: EngineEvent[]): EngineEvent[] {
  return events.filter((e) => {
    if (e.kind !== 'scenario') return true;
    const same =
      e.cells.length === state.cells.length && e.cells.every((c, i) => state.cells[i]?.header.id === c.id && state.cells[i]?.header.type === c.type);
    return !same;
  });
}

/** A `cell-failed` event for each cell that was running when the engine died. */
export function failRunningCells(state: RunState, message: string): EngineEvent[] {
  return state.cells
    .filter((c) => c.status === 'running')
    .map(({ header: { index, id, type, title } }) => ({
      kind: 'cell-failed' as const,
      index,
      result: { id, type, ok: false as const, ...(title === undefined ? {} : { title }), error: { message, path: ['cells', index] } },
    }));
}

// Keeps the RunState of every scenario document (folded with the engine's own
// applyEvent) and drives runs through the EngineClient. vscode-free: listeners
// (panel, diagnostics) subscribe with plain callbacks.
import type { EngineEvent } from '../core/events';
import type { JsonSyntaxError } from '../core/protocol';
import { applyEvent, emptyRunState, type RunState } from '../core/runState';
import type { EngineClient, RunOutcome } from './engineClient';

export interface ScenarioSource {
  uri: string;
  text: string;
  /** URI of the folder the scenario's relative file paths start from; null for an untitled scenario. */
  folder: string | null;
  /** URI of the workspace folder files must stay inside; null: the scenario's own folder. */
  root: string | null;
}

/** Reads a file a scenario names (extension/files/readScenarioFile.ts). */
export type ScenarioFileReader = (source: ScenarioSource, relativePath: string) => Promise<Uint8Array>;

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

/** Milliseconds between training progress events; the panel coalesces again. */
const PROGRESS_INTERVAL_MS = 50;

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
  /** The run in flight (the engine runs one at a time); an object, so a superseded run's end cannot clear its successor. */
  private inFlight: { uri: string } | null = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly readFile: ScenarioFileReader,
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

  onUpdate(listener: (u: RunUpdate) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }
  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** The document whose run is in flight, or null. */
  get runningUri(): string | null {
    return this.inFlight?.uri ?? null;
  }
  onRunning(listener: (uri: string | null) => void): () => void {
    this.runningListeners.add(listener);
    return () => this.runningListeners.delete(listener);
  }

  /** Evaluates the scenario (or one cell of it); resolves with the state when the run ends or is superseded. */
  run(source: ScenarioSource, cellId?: string): Promise<RunState> {
    const state = this.states.get(source.uri) ?? emptyRunState();
    this.states.set(source.uri, state);
    const run = { uri: source.uri };
    this.texts.set(source.uri, source.text);
    this.setInFlight(run);
    return new Promise((resolve) => {
      this.engine.evaluate(
        { text: source.text, cellId, progressIntervalMs: PROGRESS_INTERVAL_MS },
        {
          readFile: (relativePath) => this.readFile(source, relativePath),
          events: (events) => {
            this.setSyntaxError(source.uri, null);
            this.fold(source.uri, cellId ? keepOtherCells(state, events) : events);
          },
          syntaxError: (error) => this.setSyntaxError(source.uri, error),
          end: (outcome) => {
            if (this.inFlight === run) this.setInFlight(null);
            this.ended(source.uri, outcome);
            resolve(state);
          },
        },
      );
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

  private setSyntaxError(uri: string, error: JsonSyntaxError | null): void {
    const before = this.syntaxErrors.get(uri) ?? null;
    if (before === null && error === null) return;
    if (error) this.syntaxErrors.set(uri, error);
    else this.syntaxErrors.delete(uri);
    for (const l of this.syntaxListeners) l(uri, error);
  }

  private setInFlight(run: { uri: string } | null): void {
    this.inFlight = run;
    for (const l of this.runningListeners) l(run?.uri ?? null);
  }

  private fold(uri: string, events: EngineEvent[]): void {
    const state = this.states.get(uri);
    if (!state || events.length === 0) return;
    for (const e of events) applyEvent(state, e);
    for (const l of this.updateListeners) l({ uri, events });
  }

  private ended(uri: string, outcome: RunOutcome): void {
    if (outcome.kind !== 'failed') return;
    // The engine never said `done`: close the run so nothing shows it as still going.
    if (this.states.get(uri)?.finished === false) this.fold(uri, [{ kind: 'done', cancelled: true }]);
    for (const l of this.noticeListeners) l({ uri, level: 'error', message: outcome.message });
  }
}

/**
 * A one-cell run starts with a `scenario` event that would reset every cell to
 * pending; when the document still has the same cells, keep their results.
 */
export function keepOtherCells(state: RunState, events: EngineEvent[]): EngineEvent[] {
  return events.filter((e) => {
    if (e.kind !== 'scenario') return true;
    const same = e.cells.length === state.cells.length && e.cells.every((c, i) => state.cells[i]?.header.id === c.id && state.cells[i]?.header.type === c.type);
    return !same;
  });
}

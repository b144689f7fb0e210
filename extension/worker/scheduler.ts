// What runs in the engine worker, decided here and nowhere else. The host sends
// each document's text as it changes; runs go one after another, a newer text
// superseding the run in flight, except that a training an edit leaves alone
// (its cell and everything outside `cells` unchanged) goes on while the other
// cells re-run beside it. Each document's events reach the host as one stream
// in which every run ends with one `done`. The worker keeps each document's
// whole results (the N×C tensors too) for exports; what it sends is the panel's
// bounded view. No Node built-ins and no vscode: unit-tested with a fake engine.
import type { EngineEvent } from '../../core/events';
import type { RunEnd, RunRequest } from '../../core/protocol';
import type { CellHeader } from '../../core/results';
import { applyEvent, emptyRunState, failRunningCells, type RunState } from '../../core/runState';
import { thinTraining } from '../../core/trainThinning';
import { onlyOtherCellsChanged } from '../jsonPaths';
import { RunGate } from './runGate';

/** One engine run: the request, the cells it leaves out, and how it is stopped and paced. */
export interface EngineRun {
  request: RunRequest;
  skipCellIds?: string[];
  signal: AbortSignal;
  gate: RunGate;
}

export interface SchedulerDeps {
  evaluate(run: EngineRun): AsyncIterable<EngineEvent>;
  /** A document's events, in order (the caller batches them). */
  emit(uri: string, events: EngineEvent[]): void;
}

/** One engine run of a document's group. */
interface Part {
  controller: AbortController;
  /** A newer run took its place: its remaining events are dropped. */
  superseded: boolean;
  sawDone: boolean;
  ended: Promise<RunEnd>;
}

/** A document's run in flight: its main part, and a part beside it once an edit left its training alone. */
interface Group {
  uri: string;
  /** The text the group's latest part runs. */
  text: string;
  cellId: string | undefined;
  gate: RunGate;
  main: Part;
  beside: Part | null;
  /** Once a part beside took over the other cells: the training cell the main part still serves. */
  keepOnly: number | null;
  /** The main part stopped itself after its kept training: its cancelled `done` is not a Stop. */
  quiet: boolean;
  cancelled: boolean;
  /** Parts that have not said `done`. */
  open: number;
  closed: boolean;
  /** The cells of the main part's run, and the train cell it is running now. */
  headers: CellHeader[];
  training: CellHeader | null;
}

export class Scheduler {
  private group: Group | null = null;
  /** Runs go one after another: a new group starts once every part of the one before has ended. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly states = new Map<string, RunState>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** A document's whole results as the worker keeps them (for exports). */
  state(uri: string): RunState | undefined {
    return this.states.get(uri);
  }
  forget(uri: string): void {
    this.states.delete(uri);
  }

  /** Runs `request`; resolves when the work it started is over. */
  run(request: RunRequest): Promise<RunEnd> {
    const group = this.group;
    const kept =
      group && !group.closed && group.uri === request.uri && request.cellId === undefined ? this.trainingToKeep(group, request.text) : null;
    if (group && kept) return this.runBeside(group, kept, request);
    if (group) this.supersede(group);
    const next = this.newGroup(request);
    const before = this.queue;
    next.main.ended = before.then(() => this.drive(next, next.main, { request, signal: next.main.controller.signal, gate: next.gate }));
    this.queue = next.main.ended.catch(() => undefined);
    return next.main.ended;
  }

  /** Stop: every part of the run in flight ends with its own cancelled `done`. */
  stop(): void {
    const group = this.group;
    if (!group || group.closed) return;
    group.gate.setPaused(false);
    group.main.controller.abort();
    group.beside?.controller.abort();
  }
  setPaused(paused: boolean): void {
    if (this.group && !this.group.closed) this.group.gate.setPaused(paused);
  }
  step(): void {
    if (this.group && !this.group.closed) this.group.gate.step();
  }

  private newGroup(request: RunRequest): Group {
    const controller = new AbortController();
    const group: Group = {
      uri: request.uri,
      text: request.text,
      cellId: request.cellId,
      gate: new RunGate(controller.signal),
      main: newPart(controller),
      beside: null,
      keepOnly: null,
      quiet: false,
      cancelled: false,
      open: 1,
      closed: false,
      headers: [],
      training: null,
    };
    this.group = group;
    return group;
  }

  /** The training of `group` that `text` leaves alone, if any: it goes on while the other cells run beside it. */
  private trainingToKeep(group: Group, text: string): CellHeader | null {
    const training = group.training;
    if (group.cellId !== undefined || !training || (group.keepOnly !== null && group.keepOnly !== training.index)) return null;
    return onlyOtherCellsChanged(group.text, text, training.index) ? training : null;
  }

  private runBeside(group: Group, kept: CellHeader, request: RunRequest): Promise<RunEnd> {
    if (group.beside) this.dropPart(group, group.beside);
    const part = newPart(new AbortController());
    group.beside = part;
    group.keepOnly = kept.index;
    group.text = request.text;
    group.open++;
    part.ended = this.drive(group, part, { request, skipCellIds: [kept.id], signal: part.controller.signal, gate: group.gate });
    return part.ended;
  }

  /** A newer run replaces `group`: its parts stop, and its document hears that its run ended, stopped. */
  private supersede(group: Group): void {
    for (const part of [group.main, group.beside]) if (part) this.dropPart(group, part);
    if (!group.closed) this.close(group, true);
  }

  private dropPart(group: Group, part: Part): void {
    part.superseded = true;
    part.controller.abort();
    if (!part.sawDone) group.open--;
  }

  /** Runs one part of `group`, passing on its events as the group's stream. */
  private async drive(group: Group, part: Part, run: EngineRun): Promise<RunEnd> {
    if (part.superseded) return 'superseded';
    // Stopped while it waited its turn: it ends without running.
    if (run.signal.aborted) {
      this.partDone(group, part, true);
      return 'finished';
    }
    try {
      for await (const event of this.deps.evaluate(run)) {
        if (part.superseded) continue;
        this.pass(group, part, event);
      }
    } catch (err) {
      if (part.superseded) return 'superseded';
      // The engine threw (a bug, not a scenario error): the cells it was running fail with why, and the run ends.
      const state = this.states.get(group.uri);
      if (state) this.emit(group.uri, failRunningCells(state, `The engine failed: ${err instanceof Error ? err.message : String(err)}`));
      if (!part.sawDone) this.partDone(group, part, true);
      throw err;
    }
    if (part.superseded) return 'superseded';
    if (!part.sawDone) this.partDone(group, part, true);
    return 'finished';
  }

  private pass(group: Group, part: Part, event: EngineEvent): void {
    const isMain = part === group.main;
    if (isMain) this.track(group, event);
    if (event.kind === 'done') return this.partDone(group, part, event.cancelled && !(isMain && group.quiet));
    if (isMain && group.keepOnly !== null) {
      if (!('index' in event) || event.index !== group.keepOnly) return;
      if (event.kind === 'cell-result' || event.kind === 'cell-failed') {
        // The kept training is over: the part beside has the other cells.
        group.quiet = true;
        part.controller.abort();
      }
    }
    // A run of some cells keeps the other cells' results: its `scenario` event would reset them.
    if (event.kind === 'scenario' && (group.cellId !== undefined || !isMain) && this.sameCells(group.uri, event.cells)) return;
    this.emit(group.uri, [event]);
  }

  /** Which train cell the main part is running. */
  private track(group: Group, event: EngineEvent): void {
    if (event.kind === 'scenario') group.headers = event.cells;
    else if (event.kind === 'cell-started') {
      const header = group.headers[event.index];
      if (header?.type === 'train') group.training = header;
    } else if ((event.kind === 'cell-result' || event.kind === 'cell-failed') && group.training?.index === event.index) group.training = null;
  }

  private partDone(group: Group, part: Part, cancelled: boolean): void {
    part.sawDone = true;
    group.open--;
    group.cancelled ||= cancelled;
    if (group.open <= 0 && !group.closed) this.close(group, group.cancelled);
  }

  private close(group: Group, cancelled: boolean): void {
    group.closed = true;
    this.emit(group.uri, [{ kind: 'done', cancelled }]);
  }

  private sameCells(uri: string, cells: CellHeader[]): boolean {
    const state = this.states.get(uri);
    return (
      !!state &&
      state.cells.length === cells.length &&
      cells.every((c, i) => state.cells[i]?.header.id === c.id && state.cells[i]?.header.type === c.type)
    );
  }

  /** Folds `events` into the document's kept results and passes them on. */
  private emit(uri: string, events: EngineEvent[]): void {
    if (events.length === 0) return;
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = emptyRunState()));
    for (const event of events) {
      applyEvent(state, event);
      // A long training is kept as the panel can draw it: thousands of points, not millions.
      const train = event.kind === 'train-progress' ? state.cells[event.index]?.train : null;
      if (train) thinTraining(train);
    }
    this.deps.emit(uri, events);
  }
}

function newPart(controller: AbortController): Part {
  return { controller, superseded: false, sawDone: false, ended: Promise.resolve('finished') };
}

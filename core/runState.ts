// Folds an engine event stream into the state of a run. The panel renders it,
// the host keeps it to re-hydrate a panel, and the CLI prints it: one fold, so
// they can never disagree.
import { assertNever } from './assertNever';
import type { KernelSetName } from './compute/kernelSet';
import type { EngineEvent } from './events';
import type { CellFailure, CellHeader, CellSuccess, DecisionGrid, Dtype, Nested, PanelCellSuccess, Problem } from './results';

/** `stopped`: the run was cancelled while this cell ran (its partial progress is kept). */
export type CellStatus = 'pending' | 'running' | 'ok' | 'failed' | 'stopped';

/** `S`: the successful results it holds (the panel's hold PanelCellSuccess). */
export interface CellState<S extends PanelCellSuccess = CellSuccess> {
  header: CellHeader;
  status: CellStatus;
  result: S | CellFailure | null;
  /** Streaming partials, kept until the final result arrives. */
  sweep: { values: number[]; loss: Nested[]; grad: (number | null)[] } | null;
  /** `at`: the step of each loss and accuracy once the host thinned a long run (trainThinning.ts); absent: entry i is step i. */
  train: { done: number; steps: number; losses: number[]; accuracy: number[]; at?: number[]; boundary: DecisionGrid | null } | null;
  /** A streamed loss cell's elements read so far, out of `total`, until its result arrives. */
  progress?: { done: number; total: number } | null;
}

export interface RunState<S extends PanelCellSuccess = CellSuccess> {
  title: string;
  dtype: Dtype;
  /** The kernel set the engine computed with (null until known). */
  kernels: KernelSetName | null;
  fileError: Problem | null;
  cells: CellState<S>[];
  finished: boolean;
  cancelled: boolean;
}

export type PanelRunState = RunState<PanelCellSuccess>;
export type PanelCellState = CellState<PanelCellSuccess>;

export function emptyRunState<S extends PanelCellSuccess = CellSuccess>(): RunState<S> {
  return { title: '', dtype: 'float32', kernels: null, fileError: null, cells: [], finished: false, cancelled: false };
}

/** Returns the next state; `state` is updated in place for speed and returned. */
export function applyEvent<S extends PanelCellSuccess>(state: RunState<S>, event: EngineEvent<S>): RunState<S> {
  switch (event.kind) {
    case 'scenario':
      state.title = event.title;
      state.dtype = event.dtype;
      state.kernels = event.kernels ?? null;
      state.fileError = null;
      state.finished = false;
      state.cancelled = false;
      state.cells = event.cells.map((header) => ({ header, status: 'pending', result: null, sweep: null, train: null }));
      break;
    case 'file-error':
      state.fileError = event.error;
      break;
    case 'cell-started': {
      const cell = state.cells[event.index];
      if (cell) cell.status = 'running';
      break;
    }
    case 'cell-detail': // an answer to one request (EngineClient.detail), not part of a run's state
      break;
    case 'cell-progress': {
      const cell = state.cells[event.index];
      if (cell) cell.progress = { done: event.done, total: event.total };
      break;
    }
    case 'sweep-point': {
      const cell = state.cells[event.index];
      if (!cell) break;
      cell.sweep ??= { values: [], loss: [], grad: [] };
      cell.sweep.values.push(event.value);
      cell.sweep.loss.push(event.loss);
      cell.sweep.grad.push(event.grad);
      break;
    }
    case 'train-progress': {
      const cell = state.cells[event.index];
      if (!cell) break;
      cell.train ??= { done: 0, steps: event.steps, losses: [], accuracy: [], boundary: null };
      cell.train.done = event.done;
      // Loops, not push(...values): a spread of a long batch overflows the call stack.
      if (cell.train.at) for (let k = 0; k < event.losses.length; k++) cell.train.at.push(event.done - event.losses.length + k);
      for (const loss of event.losses) cell.train.losses.push(loss);
      for (const accuracy of event.accuracy) cell.train.accuracy.push(accuracy);
      if (event.boundary) cell.train.boundary = event.boundary;
      break;
    }
    case 'cell-result':
    case 'cell-failed': {
      const cell = state.cells[event.index];
      if (!cell) break;
      cell.status = event.result.ok ? 'ok' : 'failed';
      cell.result = event.result;
      cell.sweep = null;
      cell.train = null;
      cell.progress = null;
      break;
    }
    case 'done':
      state.finished = true;
      state.cancelled = event.cancelled;
      for (const cell of state.cells) if (cell.status === 'running') cell.status = 'stopped';
      break;
    default:
      assertNever(event, 'engine event');
  }
  return state;
}

/** A `cell-failed` event for each cell that was running when the engine failed or died (`message` says why). */
export function failRunningCells<S extends PanelCellSuccess>(state: RunState<S>, message: string): EngineEvent<S>[] {
  return state.cells
    .filter((c) => c.status === 'running')
    .map(({ header: { index, id, type, title } }) => ({
      kind: 'cell-failed' as const,
      index,
      result: { id, type, ok: false as const, ...(title === undefined ? {} : { title }), error: { message, path: ['cells', index] } },
    }));
}

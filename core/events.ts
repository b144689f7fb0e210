// The engine reports a run as a stream of these events. The CLI, the worker and
// the panel all consume the same stream (see runState.ts for the fold).
import type { KernelSetName } from './compute/kernelSet';
import type { CellFailure, CellHeader, CellSuccess, DecisionGrid, Dtype, Nested, PanelCellSuccess, Problem, RowDetail } from './results';

/** `S`: the successful results it carries; the panel's events carry PanelCellSuccess (see panelEvent). */
export type EngineEvent<S extends PanelCellSuccess = CellSuccess> =
  /** The document parsed: what is about to run, and the kernel set computing it. */
  | { kind: 'scenario'; title: string; dtype: Dtype; cells: CellHeader[]; kernels?: KernelSetName }
  /** The file itself is unusable (not JSON, not a scenario): nothing runs. */
  | { kind: 'file-error'; error: Problem }
  | { kind: 'cell-started'; index: number; id: string }
  /** A streamed loss cell has read `done` of its `total` elements. */
  | { kind: 'cell-progress'; index: number; id: string; done: number; total: number }
  | { kind: 'sweep-point'; index: number; id: string; point: number; value: number; loss: Nested; grad: number | null }
  | {
      kind: 'train-progress';
      index: number;
      id: string;
      /** Steps completed so far, out of `steps`. */
      done: number;
      steps: number;
      /** Losses and accuracies of the steps since the previous progress event. */
      losses: number[];
      accuracy: number[];
      boundary: DecisionGrid | null;
    }
  /** One element's classes, asked for with EvaluateOptions.detail (no result follows for that cell). */
  | { kind: 'cell-detail'; index: number; id: string; detail: RowDetail }
  | { kind: 'cell-result'; index: number; result: S }
  | { kind: 'cell-failed'; index: number; result: CellFailure }
  | { kind: 'done'; cancelled: boolean };

/** What the host sends the panel: the engine's events without the loss cells' N×C tensors. */
export type PanelEvent = EngineEvent<PanelCellSuccess>;

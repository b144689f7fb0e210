// What the panel receives of a run: every result but the loss cells' N×C tensors
// (probs, log_probs, grad), which stay with the host for the exports, and a
// streamed cell's per-element columns. A loss
// result's `view` already holds what the panel draws, bounded whatever the cell's size.
import type { EngineEvent, PanelEvent } from './events';
import type { CellSuccess, PanelCellSuccess } from './results';
import type { PanelRunState, RunState } from './runState';

export function panelResult(result: CellSuccess): PanelCellSuccess {
  if (result.type !== 'loss') return result;
  const { probs: _probs, log_probs: _logProbs, grad: _grad, ...drawn } = result;
  if (!drawn.streamed) return drawn;
  // A streamed cell's per-element columns stay with the engine: its figures are what the panel draws.
  const { per_row: _perRow, names: _names, ...streamed } = drawn.streamed;
  return { ...drawn, per_sample: [], streamed };
}

export function panelEvent(event: EngineEvent): PanelEvent {
  return event.kind === 'cell-result' ? { ...event, result: panelResult(event.result) } : event;
}

/** A shallow copy: only the loss results are new objects. */
export function panelRunState(state: RunState): PanelRunState {
  return { ...state, cells: state.cells.map((cell) => ({ ...cell, result: cell.result?.ok ? panelResult(cell.result) : cell.result })) };
}

// The `ce-lab run --json` document, assembled from a finished RunState.
import { jsonPieces } from './jsonText';
import type { CellResult, Dtype } from './results';
import type { RunState } from './runState';

export interface CliDocument {
  title: string;
  dtype: Dtype;
  cells: Record<string, unknown>[];
}

/** Drops the panel-only fields (and a streamed cell's class names, which the scenario names already); the rest is exactly the engine's result. */
export function cliCell(result: CellResult): Record<string, unknown> {
  const { view: _view, ...rest } = result as CellResult & { view?: unknown };
  const cell: Record<string, unknown> = rest;
  if (result.ok && result.type === 'loss' && result.streamed?.names) {
    const { names: _names, ...streamed } = result.streamed;
    cell.streamed = streamed;
  }
  if (Array.isArray(cell.warnings) && cell.warnings.length === 0) delete cell.warnings;
  return cell;
}

export function toCliDocument(state: RunState): CliDocument {
  return {
    title: state.title,
    dtype: state.dtype,
    cells: state.cells.flatMap((cell) => (cell.result ? [cliCell(cell.result)] : [])),
  };
}

/** Strict JSON with non-finite numbers written as "Infinity", "-Infinity", "NaN", as one string (jsonPieces streams it). */
export function stringifyStrict(value: unknown, indent?: number): string {
  let text = '';
  for (const piece of jsonPieces(value, indent)) text += piece;
  return text;
}

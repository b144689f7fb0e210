// What a notebook cell's output carries to the renderer (extension/notebook/
// controller.ts -> webview/notebook/renderer.ts): the cell's state as the panel
// draws it. JSON, as notebook outputs are, with non-finite numbers kept (plain
// JSON would turn a NaN loss into null).
import type { Dtype } from '../results';
import type { PanelCellState } from '../runState';

export const CELL_OUTPUT_MIME = 'application/vnd.ce-lab.cell+json';

export interface CellOutput {
  /** The cell's index in the scenario text the run was made from: a renderer's edit addresses cells[index]. */
  index: number;
  dtype: Dtype;
  cell: PanelCellState;
}

/** The key that stands for a non-finite number: {"$ce-lab-number": "NaN"}. */
const NON_FINITE = '$ce-lab-number';

export function encodeCellOutput(output: CellOutput): string {
  return JSON.stringify(output, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value,
  );
}

export function decodeCellOutput(text: string): CellOutput {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && NON_FINITE in value) return Number((value as Record<string, string>)[NON_FINITE]);
    return value;
  }) as CellOutput;
}

// A scenario cell's state as notebook outputs: the renderer's payload (the
// panel's own cell views draw it), with a loss cell's loss as text beside it, or
// an error output that names the JSON path of what is wrong.
import * as vscode from 'vscode';
import { CELL_OUTPUT_MIME, encodeCellOutput } from '../../core/notebook/cellOutput';
import type { JsonSyntaxError } from '../../core/protocol';
import type { Dtype, PanelCellSuccess, Problem } from '../../core/results';
import type { PanelCellState } from '../../core/runState';
import { describePath } from '../../core/scenario/problems';

/** The outputs of cell `index` as it stands (a partial training or sweep included). */
export function cellOutputs(cell: PanelCellState, index: number, dtype: Dtype): vscode.NotebookCellOutput[] {
  const result = cell.result;
  if (result && !result.ok) return [problemOutput(result.error)];
  const items = [vscode.NotebookCellOutputItem.text(encodeCellOutput({ index, dtype, cell }), CELL_OUTPUT_MIME)];
  const text = result ? lossText(result) : null;
  if (text) items.push(vscode.NotebookCellOutputItem.text(text, 'text/plain'));
  return [new vscode.NotebookCellOutput(items)];
}

/** `loss = 0.2159 (mean)`: what a copy of a loss cell's output, or a renderer-less view, shows. */
function lossText(result: PanelCellSuccess): string | null {
  if (result.type !== 'loss') return null;
  const loss = typeof result.loss === 'number' ? String(result.loss) : JSON.stringify(result.loss);
  return `loss = ${loss} (${result.view.normalisation.reduction})`;
}

export function problemOutput(problem: Problem): vscode.NotebookCellOutput {
  const error = new Error(problem.message);
  error.name = `Error at ${describePath(problem.path)}`;
  error.stack = undefined;
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]);
}

export function syntaxOutput(error: JsonSyntaxError): vscode.NotebookCellOutput {
  const problem = new Error(`${error.message} (line ${error.line}, column ${error.column} of the scenario text)`);
  problem.name = 'JSON syntax error';
  problem.stack = undefined;
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(problem)]);
}

// A scenario cell's state as notebook outputs: the renderer's payload (the
// panel's own cell views draw it) with the CLI's text summary beside it, or an
// error output that names the JSON path of what is wrong.
import * as vscode from 'vscode';
import { CELL_OUTPUT_MIME, encodeCellOutput } from '../../core/notebook/cellOutput';
import type { JsonSyntaxError } from '../../core/protocol';
import type { Dtype, Problem } from '../../core/results';
import type { CellState } from '../../core/runState';
import { panelResult } from '../../core/panelResults';
import { describePath } from '../../core/scenario/problems';
import { cellBlock } from '../../node/summary';

/** The outputs of cell `index` as it stands (a partial training or sweep included). */
export function cellOutputs(cell: CellState, index: number, dtype: Dtype): vscode.NotebookCellOutput[] {
  const result = cell.result;
  if (result && !result.ok) return [problemOutput(result.error)];
  const drawn = { ...cell, result: result ? panelResult(result) : null };
  const items = [vscode.NotebookCellOutputItem.text(encodeCellOutput({ index, dtype, cell: drawn }), CELL_OUTPUT_MIME)];
  if (result) items.push(vscode.NotebookCellOutputItem.text(cellBlock(result).trim(), 'text/plain'));
  return [new vscode.NotebookCellOutput(items)];
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

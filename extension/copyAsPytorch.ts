// "Copy Cell as PyTorch": the cell (or every cell) as a Python script on the
// clipboard; generated values it loads are written next to the scenario.
import * as vscode from 'vscode';
import { torchScript } from '../core/pytorch/torchScript';
import { ScenarioError } from '../core/scenario/problems';
import { settings } from './config';
import { sourceOf } from './documents';
import { readScenarioFile } from './files/readScenarioFile';
import { locateCells } from './jsonPaths';

/** The cell under the cursor, when the scenario is the active editor. */
function cellAtCursor(document: vscode.TextDocument): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document !== document) return undefined;
  const offset = document.offsetAt(editor.selection.active);
  return locateCells(document.getText())
    .filter((c) => c.offset <= offset && c.type !== 'markdown')
    .pop()?.id;
}

export async function copyAsPytorch(document: vscode.TextDocument, cellId?: string): Promise<void> {
  const source = sourceOf(document);
  const folder = source.folder ? vscode.Uri.parse(source.folder) : null;
  const id = cellId ?? cellAtCursor(document);
  let result;
  try {
    result = await torchScript(document.getText(), {
      loadFile: (relativePath, _path, maxBytes) => readScenarioFile(source, relativePath, maxBytes),
      scenarioDir: folder ? (folder.scheme === 'file' ? folder.fsPath : folder.path) : null,
      fileStem: document.uri.path
        .split('/')
        .pop()!
        .replace(/\.ce\.json$/, ''),
      cellId: id,
      limits: settings().limits,
    });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    void vscode.window.showErrorMessage(`CE Lab: cannot write PyTorch: ${error.message}`);
    return;
  }
  if (result.files.length && !folder) {
    void vscode.window.showErrorMessage('CE Lab: this cell needs its generated values saved next to the scenario: save the scenario first.');
    return;
  }
  for (const side of result.files) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder!, side.name), side.bytes);
  await vscode.env.clipboard.writeText(result.script);
  const what = id === undefined ? 'Every cell' : `Cell "${id}"`;
  const files = result.files.length ? ` It loads ${result.files.map((f) => f.name).join(', ')}, written next to the scenario.` : '';
  const problems = result.problems.map((p) => ` Cell "${p.id}" was left out: ${p.message}`).join('');
  const message = `CE Lab: ${what} copied as PyTorch.${files}${problems}`;
  void (problems ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
}

// Save dialogs for exports: the panel's png/csv/json, and the CLI-style results document.
import * as vscode from 'vscode';
import { cliCell, toCliDocument } from '../core/cliDocument';
import { jsonBytes } from '../core/jsonText';
import type { CellResult } from '../core/results';
import type { RunState } from '../core/runState';

const FILTERS: Record<string, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
};

/** Asks where to save (the dialog confirms overwriting) and writes; false when cancelled. */
export async function saveWithDialog(
  near: vscode.Uri | undefined,
  suggestedName: string,
  format: keyof typeof FILTERS,
  bytes: Uint8Array,
): Promise<boolean> {
  const folder = near && near.scheme !== 'untitled' ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
    filters: FILTERS[format],
    saveLabel: 'Export',
  });
  if (!target) return false;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`CE Lab: exported ${vscode.workspace.asRelativePath(target)}`);
  return true;
}

/** A panel export: text as is, a png as the data URL the canvas gave. */
export function exportBytes(format: 'png' | 'csv' | 'json', data: string): Uint8Array {
  if (format === 'png') return Uint8Array.from(atob(data.slice(data.indexOf(',') + 1)), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(data);
}

/** What `ce-lab run --json` prints for the same run. */
export function resultsBytes(state: RunState): Uint8Array {
  return jsonBytes(toCliDocument(state), 2);
}

/** One cell's result as it is in that document (the panel's JSON export of a loss cell's figures). */
export function cellBytes(result: CellResult): Uint8Array {
  return jsonBytes(cliCell(result), 2);
}

/** `foo.ce.json` -> `foo.results.json`. */
export function resultsName(documentUri: vscode.Uri): string {
  const base = documentUri.path.split('/').pop() ?? 'scenario.ce.json';
  return base.replace(/\.ce\.json$/, '') + '.results.json';
}

// Save dialogs for exports: the panel's png/csv/json, and the CLI-style results document.
import * as vscode from 'vscode';
import type { ScenarioRunner } from './runner';

const FILTERS: Record<string, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
};

/** Asks where to save (the dialog confirms overwriting) and writes what `write` gives; false when cancelled. */
export async function saveWithDialog(
  near: vscode.Uri | undefined,
  suggestedName: string,
  format: keyof typeof FILTERS,
  bytes: Uint8Array | ((target: vscode.Uri) => Promise<Uint8Array | null>),
): Promise<boolean> {
  const folder = near && near.scheme !== 'untitled' ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
    filters: FILTERS[format],
    saveLabel: 'Export',
  });
  if (!target) return false;
  // A function may write the file itself (the engine worker, on disk) and give null.
  const content = typeof bytes === 'function' ? await bytes(target) : bytes;
  if (content) await vscode.workspace.fs.writeFile(target, content);
  void vscode.window.showInformationMessage(`CE Lab: exported ${vscode.workspace.asRelativePath(target)}`);
  return true;
}

/**
 * A document's results (one cell's, with `cellId`) as `ce-lab run --json` writes them, from the results the
 * engine worker keeps: it writes a file on disk itself, so the N×C tensors never pass through the host.
 */
export function workerExport(runner: ScenarioRunner, uri: string, cellId?: string): (target: vscode.Uri) => Promise<Uint8Array | null> {
  return (target) => runner.exportResults(uri, cellId, target.scheme === 'file' ? target.fsPath : undefined);
}

/** A panel export: text as is, a png as the data URL the canvas gave. */
export function exportBytes(format: 'png' | 'csv' | 'json', data: string): Uint8Array {
  if (format === 'png') return Uint8Array.from(atob(data.slice(data.indexOf(',') + 1)), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(data);
}

/** `foo.ce.json` -> `foo.results.json`. */
export function resultsName(documentUri: vscode.Uri): string {
  const base = documentUri.path.split('/').pop() ?? 'scenario.ce.json';
  return base.replace(/\.ce\.json$/, '') + '.results.json';
}

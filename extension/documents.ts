// Which documents are scenarios, and what the engine needs to know about one.
import * as vscode from 'vscode';
import type { JsonPath } from '../core/results';
import { spanOfPath } from './jsonPaths';
import type { ScenarioSource } from './runner';

/** Scenario files are plain JSON whose name ends in .ce.json (saved or untitled); a cell of one opened as a notebook is not. */
export function isScenario(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith('.ce.json') && document.uri.scheme !== 'vscode-notebook-cell';
}

/** URIs, not paths: a scenario may live on any file system (disk, remote, github.dev's virtual one). */
export function sourceOf(document: vscode.TextDocument): ScenarioSource {
  const saved = document.uri.scheme !== 'untitled';
  return {
    uri: document.uri.toString(),
    text: document.getText(),
    folder: saved ? vscode.Uri.joinPath(document.uri, '..').toString() : null,
    root: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() ?? null,
  };
}

/** The range of the value at `path` (or its nearest parent) in the document as it is now. */
export function rangeOfPath(document: vscode.TextDocument, jsonPath: JsonPath): vscode.Range {
  const span = spanOfPath(document.getText(), jsonPath) ?? { offset: 0, length: 0 };
  return new vscode.Range(document.positionAt(span.offset), document.positionAt(span.offset + span.length));
}

export function findOpenDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
}

/** The scenario a command means: the one given, else the active editor's, else the panel's. */
export async function resolveScenario(arg: unknown, fallbackUri: string | null): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  if (typeof arg === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(arg));
  const active = vscode.window.activeTextEditor?.document;
  if (active && isScenario(active)) return active;
  if (fallbackUri) return findOpenDocument(fallbackUri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(fallbackUri));
  return undefined;
}

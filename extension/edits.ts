// Panel -> editor: set a JSON value (in memory while a gesture lasts, as one
// undoable edit at its end), and show a path.
import { applyEdits } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as in jsonPaths.ts
import * as vscode from 'vscode';
import type { JsonPath } from '../core/results';
import { rangeOfPath } from './documents';
import { setValueEdits, type TextEdit } from './jsonPaths';

/** The edits that set `jsonPath` in the document, in its own indentation and line endings. */
function valueEdits(document: vscode.TextDocument, jsonPath: JsonPath, value: unknown): TextEdit[] {
  const options = vscode.window.visibleTextEditors.find((e) => e.document === document)?.options;
  const tabSize = typeof options?.tabSize === 'number' ? options.tabSize : 2;
  const insertSpaces = options?.insertSpaces !== false;
  const indent = insertSpaces ? ' '.repeat(tabSize) : '\t';
  return setValueEdits(document.getText(), jsonPath, value, indent, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
}

/** The document's text as it would be with the value set, leaving the document alone. */
export function editedText(document: vscode.TextDocument, jsonPath: JsonPath, value: unknown): string {
  return applyEdits(document.getText(), valueEdits(document, jsonPath, value));
}

export async function setJsonValue(document: vscode.TextDocument, jsonPath: JsonPath, value: unknown): Promise<boolean> {
  const changes = valueEdits(document, jsonPath, value);
  if (changes.length === 0) return true;
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(c.offset), document.positionAt(c.offset + c.length)), c.content);
  }
  return vscode.workspace.applyEdit(edit);
}

export async function revealPath(document: vscode.TextDocument, jsonPath: JsonPath, column?: vscode.ViewColumn): Promise<void> {
  const range = rangeOfPath(document, jsonPath);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

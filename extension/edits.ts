// Panel -> editor: set a JSON value through an undoable edit, and show a path.
import * as vscode from 'vscode';
import type { JsonPath } from '../core/results';
import { rangeOfPath } from './documents';
import { setValueEdits } from './jsonPaths';

export async function setJsonValue(document: vscode.TextDocument, jsonPath: JsonPath, value: unknown): Promise<boolean> {
  const options = vscode.window.visibleTextEditors.find((e) => e.document === document)?.options;
  const tabSize = typeof options?.tabSize === 'number' ? options.tabSize : 2;
  const insertSpaces = options?.insertSpaces !== false;
  const indent = insertSpaces ? ' '.repeat(tabSize) : '\t';
  const changes = setValueEdits(document.getText(), jsonPath, value, indent, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  if (changes.length === 0) return true;
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(c.offset), document.positionAt(c.offset + c.length)), c.content);
  }
  return vscode.workspace.applyEdit(edit);
}

/** While dragging, apply at most one edit per interval, always ending with the last value. */
export class EditThrottle {
  private pending: (() => Promise<unknown>) | null = null;
  private busy = false;
  constructor(private readonly intervalMs: number) {}

  submit(apply: () => Promise<unknown>, transient: boolean): void {
    this.pending = apply;
    if (!transient || !this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending) {
        const next = this.pending;
        this.pending = null;
        await next();
        if (this.pending) await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    } finally {
      this.busy = false;
    }
  }
}

export async function revealPath(document: vscode.TextDocument, jsonPath: JsonPath, column?: vscode.ViewColumn): Promise<void> {
  const range = rangeOfPath(document, jsonPath);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

// Quick fixes (Ctrl+.) on CE Lab's diagnostics: a misspelt key becomes the
// field it probably means ("Change to label_smoothing"), as one undoable edit;
// a value over limits gets "Raise these limits for this workspace".
import * as vscode from 'vscode';
import type { Problem } from '../core/results';
import { keyFixFor } from './keyFix';
import { raiseLimitsAction } from './raiseLimits';

export class ScenarioQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  /** `problems`: the problems of a document's last run (the diagnostics carry only their text). */
  constructor(private readonly problems: (uri: string) => Problem[]) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const text = document.getText();
    return context.diagnostics.flatMap((diagnostic) => {
      if (diagnostic.source !== 'CE Lab') return [];
      const limits = this.problems(document.uri.toString()).find((p) => p.message === diagnostic.message)?.limits;
      if (limits?.length) return [raiseLimitsAction(document, diagnostic, limits)];
      const offset = document.offsetAt(diagnostic.range.start);
      const fix = keyFixFor(text, offset, document.offsetAt(diagnostic.range.end) - offset, diagnostic.message);
      if (!fix) return [];
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, new vscode.Range(document.positionAt(fix.offset), document.positionAt(fix.offset + fix.length)), fix.newText);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

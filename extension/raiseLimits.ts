// "Raise these limits for this workspace": the quick fix on a limit error. It
// writes exactly the ceLab.limits.* settings the error lists into the folder's
// .vscode/settings.json as one WorkspaceEdit, opens that file (the user sees
// the change and can undo it there), saves it, and runs the scenario again
// once VS Code has read the new settings.
import * as vscode from 'vscode';
import type { LimitSetting } from '../core/results';
import { limitSettings, withSettings } from './settingsText';

export const RAISE_LIMITS_COMMAND = 'ceLab.raiseLimits';
export const RAISE_LIMITS_TITLE = 'Raise these limits for this workspace';

/** The code action for a diagnostic whose problem lists `limits`. */
export function raiseLimitsAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, limits: LimitSetting[]): vscode.CodeAction {
  const action = new vscode.CodeAction(RAISE_LIMITS_TITLE, vscode.CodeActionKind.QuickFix);
  action.command = { title: RAISE_LIMITS_TITLE, command: RAISE_LIMITS_COMMAND, arguments: [document.uri, limits] };
  action.diagnostics = [diagnostic];
  return action;
}

async function readText(uri: vscode.Uri): Promise<string | null> {
  try {
    return (await vscode.workspace.openTextDocument(uri)).getText();
  } catch {
    return null;
  }
}

export async function raiseLimits(scenario: vscode.Uri, limits: LimitSetting[]): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(scenario) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('CE Lab: open a folder to raise limits for it (or set the ceLab.limits.* settings in your user settings).');
    return;
  }
  const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  const before = await readText(file);
  const after = withSettings(before ?? '', limitSettings(limits));
  if (after === null) {
    void vscode.window.showErrorMessage(
      `CE Lab: ${vscode.workspace.asRelativePath(file)} is not a JSON object; set ${limits.map((l) => l.setting).join(', ')} there by hand.`,
    );
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  if (before === null) {
    edit.createFile(file, { ignoreIfExists: true });
    edit.insert(file, new vscode.Position(0, 0), after);
  } else {
    const document = await vscode.workspace.openTextDocument(file);
    edit.replace(file, new vscode.Range(document.positionAt(0), document.positionAt(before.length)), after);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return;
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document, { preview: false });
  // Run again once the new limits are in effect (VS Code reads the saved file, then says so).
  const rerun = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('ceLab.limits')) return;
    rerun.dispose();
    void vscode.commands.executeCommand('ceLab.run', scenario);
  });
  if (!(await document.save())) rerun.dispose();
}

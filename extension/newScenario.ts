// CE Lab: New Scenario… — a template from media/templates, as an untitled
// file or saved where the user says (never overwriting without asking).
import * as vscode from 'vscode';

/** The save dialog's filter: the last segment of `.ce.json`, the only part VS Code compares (see its use). */
export const SAVE_FILTERS = { 'CE Lab scenario (*.ce.json)': ['json'] };

export async function newScenario(extensionUri: vscode.Uri): Promise<void> {
  const templates = vscode.Uri.joinPath(extensionUri, 'media', 'templates');
  const names = (await vscode.workspace.fs.readDirectory(templates))
    .map(([n]) => n)
    .filter((n) => n.endsWith('.ce.json'))
    .sort();
  const template = await vscode.window.showQuickPick(
    names.map((n) => n.replace(/\.ce\.json$/, '')),
    { title: 'New CE Lab scenario from template' },
  );
  if (!template) return;
  const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(templates, `${template}.ce.json`)));
  const where = await vscode.window.showQuickPick(['Untitled (save later)', 'Save as…'], { title: 'Where should the scenario go?' });
  if (!where) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;

  if (where.startsWith('Untitled')) {
    const name = await freeName(folder, template);
    const uri = folder ? vscode.Uri.joinPath(folder, name).with({ scheme: 'untitled' }) : vscode.Uri.from({ scheme: 'untitled', path: name });
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
    return;
  }

  const chosen = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, await freeName(folder, template)) : undefined,
    // VS Code's save dialog compares a name's last extension (`.json` for `training.ce.json`) with the
    // filters' and appends the first filter's when none matches: a compound `ce.json` never matches, so
    // `training.ce.json` became `training.ce.json.ce.json`. Filtering on `json` keeps the name as typed;
    // a name without `.ce.json` is completed below.
    filters: SAVE_FILTERS,
    saveLabel: 'Create',
  });
  if (!chosen) return;
  // The dialog confirmed overwriting what it showed; a name we extend ourselves is checked here.
  const target = chosen.path.endsWith('.ce.json') ? chosen : chosen.with({ path: chosen.path.replace(/(\.json)?$/, '.ce.json') });
  if (target.path !== chosen.path && (await exists(target))) {
    const answer = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(target)} exists. Overwrite it?`,
      { modal: true },
      'Overwrite',
    );
    if (answer !== 'Overwrite') return;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  await vscode.window.showTextDocument(target);
}

async function freeName(folder: vscode.Uri | undefined, base: string): Promise<string> {
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.path));
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${base}.ce.json` : `${base}-${i}.ce.json`;
    if (!folder) return name;
    const candidate = vscode.Uri.joinPath(folder, name);
    if (!open.has(candidate.path) && !(await exists(candidate))) return name;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

// Runs inside VS Code's extension host (see run.mjs): the commands are there,
// a scenario evaluates in the worker, and a bad target becomes a diagnostic.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const until = async <T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the examples folder is open');
  const document = await vscode.workspace.openTextDocument(path.join(folder, 'sorix.ce.json'));
  const editor = await vscode.window.showTextDocument(document);

  const commands = await vscode.commands.getCommands(true);
  for (const id of ['ceLab.openToSide', 'ceLab.run', 'ceLab.stop', 'ceLab.export', 'ceLab.newScenario', 'ceLab.runCell', 'ceLab.copyAsPytorch'])
    assert.ok(commands.includes(id), id);

  await vscode.commands.executeCommand('ceLab.run', document.uri);
  assert.deepEqual(vscode.languages.getDiagnostics(document.uri), []);

  await vscode.commands.executeCommand('ceLab.copyAsPytorch', document.uri, 'two-samples');
  assert.match(await vscode.env.clipboard.readText(), /loss = F\.cross_entropy\(logits, target\)/);

  const line = document
    .getText()
    .split('\n')
    .findIndex((l) => l.includes('"target": [0, 1]'));
  const column = document.lineAt(line).text.indexOf('1]');
  await editor.edit((b) => b.replace(new vscode.Range(line, column, line, column + 1), '7'));
  await vscode.commands.executeCommand('ceLab.run', document.uri);
  const [diagnostic] = await until(
    'a diagnostic',
    () => vscode.languages.getDiagnostics(document.uri).length > 0 && vscode.languages.getDiagnostics(document.uri),
  );
  assert.equal(diagnostic.range.start.line, line);
  assert.equal(diagnostic.range.start.character, column);
  assert.match(diagnostic.message, /out of bounds/);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

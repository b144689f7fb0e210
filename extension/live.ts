// Live update: every edit of a scenario that has been run or shown (saved or
// not) re-evaluates it after the debounce; a newer edit supersedes the run.
import * as vscode from 'vscode';
import { settings } from './config';
import { isScenario, sourceOf } from './documents';
import type { ScenarioRunner } from './runner';

export function registerLiveUpdate(runner: ScenarioRunner): vscode.Disposable {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const changed = vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
    const uri = document.uri.toString();
    if (contentChanges.length === 0 || !isScenario(document) || !runner.state(uri)) return;
    const { liveUpdate, debounceMs } = settings();
    if (!liveUpdate) return;
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        if (!document.isClosed) void runner.run(sourceOf(document));
      }, debounceMs),
    );
  });
  return vscode.Disposable.from(changed, { dispose: () => timers.forEach((t) => clearTimeout(t)) });
}

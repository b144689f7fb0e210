// Live update: every edit of a scenario that has been run or shown (saved or
// not) is evaluated at once; edits closer together than `ceLab.debounceMs`
// are coalesced into one trailing run. A newer run cancels the one in flight
// (the worker schedules: extension/worker/scheduler.ts), so typing never
// queues work behind itself.
import * as vscode from 'vscode';
import { settings } from './config';
import { isScenario, sourceOf } from './documents';
import type { ScenarioRunner } from './runner';

export function registerLiveUpdate(runner: ScenarioRunner): vscode.Disposable {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const lastRun = new Map<string, number>();
  const evaluate = (document: vscode.TextDocument) => {
    const uri = document.uri.toString();
    timers.delete(uri);
    lastRun.set(uri, Date.now());
    // A panel gesture evaluated its value before writing it (and a newer gesture's run must not be replaced by it).
    const text = document.getText();
    const panelWrite = runner.isPanelWrite(uri, text);
    if (!document.isClosed && !panelWrite && text !== runner.lastText(uri)) void runner.run(sourceOf(document));
  };
  const changed = vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
    const uri = document.uri.toString();
    if (contentChanges.length === 0 || !isScenario(document) || !runner.state(uri)) return;
    const { liveUpdate, debounceMs } = settings();
    if (!liveUpdate || timers.has(uri)) return;
    const wait = (lastRun.get(uri) ?? -Infinity) + debounceMs - Date.now();
    if (wait <= 0) evaluate(document);
    else
      timers.set(
        uri,
        setTimeout(() => evaluate(document), wait),
      );
  });
  const closed = vscode.workspace.onDidCloseTextDocument((d) => lastRun.delete(d.uri.toString()));
  return vscode.Disposable.from(changed, closed, { dispose: () => timers.forEach((t) => clearTimeout(t)) });
}

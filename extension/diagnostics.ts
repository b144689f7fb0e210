// Scenario errors and warnings as editor squiggles, on the exact JSON value.
import * as vscode from 'vscode';
import type { EngineEvent } from '../core/events';
import { settings } from './config';
import { findOpenDocument } from './documents';
import { locateProblems, longTrainingWarnings } from './problems';
import type { ScenarioRunner } from './runner';

/** Events after which the set of problems may have changed. */
const SETTLING: ReadonlySet<EngineEvent['kind']> = new Set(['cell-result', 'cell-failed', 'file-error', 'done']);

export function registerDiagnostics(runner: ScenarioRunner): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('ceLab');
  const refresh = (uri: string): void => {
    const document = findOpenDocument(uri);
    const state = runner.state(uri);
    if (!document || !state) return;
    const text = document.getText();
    const problems = [...locateProblems(text, state), ...longTrainingWarnings(text, settings().trainingWarnSteps)];
    const diagnostics = problems.map((p) => {
      const range = new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + p.length));
      const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const d = new vscode.Diagnostic(range, p.message, severity);
      d.source = 'CE Lab';
      return d;
    });
    collection.set(document.uri, diagnostics);
  };
  const off = runner.onUpdate(({ uri, events }) => {
    if (events.some((e) => SETTLING.has(e.kind))) refresh(uri);
  });
  const closed = vscode.workspace.onDidCloseTextDocument((d) => {
    collection.delete(d.uri);
    runner.forget(d.uri.toString());
  });
  return vscode.Disposable.from(collection, closed, { dispose: off });
}

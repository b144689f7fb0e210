// Activation: wires the engine worker, the run states, the panel, CodeLens,
// diagnostics, live update and the commands together. No engine work happens
// on this thread: evaluation runs in a worker (a Node worker thread on desktop,
// a Web Worker on the web; see worker/startEngine.ts and its .web.ts twin).
import * as vscode from 'vscode';
import type { LimitSetting } from '../core/results';
import { ScenarioCodeLens } from './codeLens';
import { settings } from './config';
import { copyAsPytorch } from './copyAsPytorch';
import { registerDiagnostics } from './diagnostics';
import { isScenario, resolveScenario, sourceOf } from './documents';
import { EngineClient } from './engineClient';
import { resultsName, saveWithDialog, workerExport } from './exporting';
import { onDisk, readScenarioFile, readScenarioRange } from './files/readScenarioFile';
import { registerLiveUpdate } from './live';
import { newScenario } from './newScenario';
import { problemsOf } from './problems';
import { ScenarioQuickFixes } from './quickFixes';
import { RAISE_LIMITS_COMMAND, raiseLimits } from './raiseLimits';
import { registerNotebook } from './notebook/register';
import { VIEW_TYPE, VisualizerPanel } from './panel/visualizerPanel';
import { ScenarioRunner } from './runner';
import { RunningKey } from './runningKey';
import { engineSpawner } from './worker/startEngine';

export function activate(context: vscode.ExtensionContext): void {
  const engine = new EngineClient({
    spawn: engineSpawner(context.extensionUri),
    runTimeoutMs: () => settings().runTimeoutSeconds * 1000,
    limits: () => settings().limits,
  });
  const runner = new ScenarioRunner(engine, readScenarioFile, { readRange: readScenarioRange, onDisk });
  const panel = new VisualizerPanel(context, runner);
  const lenses = new ScenarioCodeLens();
  const runningKey = new RunningKey((value) => void vscode.commands.executeCommand('setContext', 'ceLab.running', value));
  // Focus moving to the panel (no text editor) keeps the last scenario: its title bar still shows.
  const followEditor = (editor: vscode.TextEditor | undefined) => editor && runningKey.active(editor.document.uri.toString());
  followEditor(vscode.window.activeTextEditor);

  const scenario = async (arg?: unknown) => {
    const document = await resolveScenario(arg, panel.uri);
    if (!document || !isScenario(document)) void vscode.window.showWarningMessage('CE Lab: open a *.ce.json scenario first.');
    return document && isScenario(document) ? document : undefined;
  };
  const command = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);
  const problemsOfRun = (uri: string) => {
    const state = runner.state(uri);
    return state ? problemsOf(state).map((p) => p.problem) : [];
  };

  context.subscriptions.push(
    { dispose: () => engine.dispose() },
    runningKey,
    { dispose: runner.onRunning((uri) => runningKey.running(uri)) },
    vscode.window.onDidChangeActiveTextEditor(followEditor),
    panel,
    lenses,
    registerDiagnostics(runner),
    registerLiveUpdate(runner),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.ce.json' }, lenses),
    // Scenarios are JSON documents named *.ce.json (no language of their own): the same selector as the lenses.
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.ce.json' }, new ScenarioQuickFixes(problemsOfRun), {
      providedCodeActionKinds: ScenarioQuickFixes.kinds,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ceLab.codeLens')) lenses.refresh();
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: (webviewPanel, state) => panel.restore(webviewPanel, state),
    }),
    command('ceLab.openToSide', async (arg, cellId) => {
      const document = await scenario(arg);
      if (document) panel.show(document, typeof cellId === 'string' ? cellId : undefined);
    }),
    command('ceLab.run', async (arg) => {
      const document = await scenario(arg);
      if (document) await runner.run(sourceOf(document));
    }),
    command('ceLab.runCell', async (arg, cellId) => {
      const document = await scenario(arg);
      if (document && typeof cellId === 'string') await runner.run(sourceOf(document), cellId);
    }),
    command('ceLab.copyAsPytorch', async (arg, cellId) => {
      const document = await scenario(arg);
      if (document) await copyAsPytorch(document, typeof cellId === 'string' ? cellId : undefined);
    }),
    command('ceLab.stop', () => runner.stop()),
    command(RAISE_LIMITS_COMMAND, (uri, limits) => raiseLimits(uri as vscode.Uri, limits as LimitSetting[])),
    command('ceLab.export', async (arg) => {
      const document = await scenario(arg);
      if (!document) return;
      const uri = document.uri.toString();
      const current = runner.state(uri);
      // Export what the panel shows when it is complete; otherwise evaluate first.
      if (!current?.finished || current.cancelled) await runner.run(sourceOf(document));
      await saveWithDialog(document.uri, resultsName(document.uri), 'json', workerExport(runner, uri));
    }),
    command('ceLab.newScenario', () => newScenario(context.extensionUri)),
    registerNotebook(runner),
    command('ceLab.debug.killWorker', () => engine.killWorker()),
  );
  // The debug command shows in the palette only for tests (CE_LAB_DEBUG=1 in the host's environment; a web host has none).
  if (typeof process !== 'undefined' && process.env.CE_LAB_DEBUG === '1') void vscode.commands.executeCommand('setContext', 'ceLab.debug', true);
}

export function deactivate(): void {}

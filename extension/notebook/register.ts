// The notebook's wiring: the serializer of `ce-lab-notebook`, its kernel, and
// "CE Lab: Open as Notebook" (also the scenario editor's title-bar button).
import * as vscode from 'vscode';
import type { ScenarioRunner } from '../runner';
import { ScenarioNotebookController } from './controller';
import { NOTEBOOK_OPTIONS, NOTEBOOK_TYPE, ScenarioNotebookSerializer } from './serializer';

export function registerNotebook(runner: ScenarioRunner): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new ScenarioNotebookSerializer(), NOTEBOOK_OPTIONS),
    new ScenarioNotebookController(runner),
    vscode.commands.registerCommand('ceLab.openAsNotebook', (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (uri?.path.endsWith('.ce.json')) return vscode.commands.executeCommand('vscode.openWith', uri, NOTEBOOK_TYPE);
      void vscode.window.showWarningMessage('CE Lab: open a *.ce.json scenario first.');
    }),
  );
}

// "▶ Run all · Open visualizer" at the top of a scenario, "▶ Run cell · Copy as PyTorch · Show in panel" above each cell.
import * as vscode from 'vscode';
import { settings } from './config';
import { isScenario } from './documents';
import { locateCells } from './jsonPaths';

export class ScenarioCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings().codeLensEnabled || !isScenario(document)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: '▶ Run all', command: 'ceLab.run', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Open visualizer', command: 'ceLab.openToSide', arguments: [document.uri] }),
    ];
    for (const cell of locateCells(document.getText())) {
      const at = document.positionAt(cell.offset);
      const range = new vscode.Range(at, at);
      if (cell.type !== 'markdown') {
        lenses.push(new vscode.CodeLens(range, { title: '▶ Run cell', command: 'ceLab.runCell', arguments: [document.uri, cell.id] }));
        lenses.push(new vscode.CodeLens(range, { title: 'Copy as PyTorch', command: 'ceLab.copyAsPytorch', arguments: [document.uri, cell.id] }));
      }
      lenses.push(new vscode.CodeLens(range, { title: 'Show in panel', command: 'ceLab.openToSide', arguments: [document.uri, cell.id] }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

// What the panel asks of the host (PanelToHost), carried out on its document.
import * as vscode from 'vscode';
import type { PanelToHost } from '../../core/protocol';
import { findOpenDocument, sourceOf } from '../documents';
import { EditThrottle, revealPath, setJsonValue } from '../edits';
import { exportBytes, saveWithDialog } from '../exporting';
import type { ScenarioRunner } from '../runner';

/** Dragging a slider sends many transient edits; the editor gets at most ~10 a second. */
const TRANSIENT_EDIT_MS = 100;

export function panelMessageHandler(runner: ScenarioRunner): (message: PanelToHost, documentUri: string) => Promise<void> {
  const throttle = new EditThrottle(TRANSIENT_EDIT_MS);
  const open = async (uri: string) => findOpenDocument(uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));

  return async (message, documentUri) => {
    switch (message.type) {
      case 'ready': // the panel host answers it with a hydrate
        return;
      case 'edit': {
        const document = await open(documentUri);
        throttle.submit(() => setJsonValue(document, message.path, message.value), message.transient);
        return;
      }
      case 'run':
        void runner.run(sourceOf(await open(documentUri)), message.cellId);
        return;
      case 'stop':
        return runner.stop();
      case 'pause':
      case 'resume':
        return runner.setPaused(message.type === 'pause');
      case 'step':
        return runner.step();
      case 'reveal': {
        const document = await open(documentUri);
        const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
        return revealPath(document, message.path, editor?.viewColumn ?? vscode.ViewColumn.One);
      }
      case 'export':
        await saveWithDialog(vscode.Uri.parse(documentUri), message.suggestedName, message.format, exportBytes(message.format, message.data));
        return;
    }
  };
}

// What the panel asks of the host (PanelToHost), carried out on its document.
import * as vscode from 'vscode';
import { assertNever } from '../../core/assertNever';
import type { PanelToHost } from '../../core/protocol';
import { findOpenDocument, sourceOf } from '../documents';
import { editedText, revealPath, setJsonValue } from '../edits';
import { cellBytes, exportBytes, saveWithDialog } from '../exporting';
import type { ScenarioRunner } from '../runner';

/** `focusPanel` gives the keyboard back to the panel after an undo it asked for. */
export function panelMessageHandler(runner: ScenarioRunner, focusPanel: () => void): (message: PanelToHost, documentUri: string) => Promise<void> {
  const open = async (uri: string) => findOpenDocument(uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editorOf = (document: vscode.TextDocument) => vscode.window.visibleTextEditors.find((e) => e.document === document);
  /** Final edits land one after another, in the order the panel sent them. */
  let applying: Promise<unknown> = Promise.resolve();

  return async (message, documentUri) => {
    switch (message.type) {
      case 'ready': // the panel host answers it with a hydrate
      case 'drawn': // the panel host paces its events with it
        return;
      case 'edit': {
        const document = await open(documentUri);
        // Mid-gesture the document is left alone (one gesture = one undo step): the engine evaluates the edited text.
        if (message.transient) {
          void runner.run({ ...sourceOf(document), text: editedText(document, message.path, message.value) });
          return;
        }
        applying = applying.then(() => setJsonValue(document, message.path, message.value));
        await applying;
        return;
      }
      case 'undo':
      case 'redo': {
        // Undo acts on the focused editor: focus the scenario's, undo there, hand the keyboard back.
        const document = await open(documentUri);
        await vscode.window.showTextDocument(document, { viewColumn: editorOf(document)?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
        await vscode.commands.executeCommand(message.type);
        focusPanel();
        return;
      }
      case 'run':
        void runner.run(sourceOf(await open(documentUri)), message.cellId);
        return;
      case 'copyAsPytorch':
        await vscode.commands.executeCommand('ceLab.copyAsPytorch', vscode.Uri.parse(documentUri), message.cellId);
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
        return revealPath(document, message.path, editorOf(document)?.viewColumn ?? vscode.ViewColumn.One);
      }
      case 'export':
        await saveWithDialog(vscode.Uri.parse(documentUri), message.suggestedName, message.format, exportBytes(message.format, message.data));
        return;
      case 'exportCell': {
        const result = runner.state(documentUri)?.cells.find((c) => c.header.id === message.cellId)?.result;
        if (!result) throw new Error(`No result for cell ${JSON.stringify(message.cellId)} to export; run it first.`);
        await saveWithDialog(vscode.Uri.parse(documentUri), message.suggestedName, 'json', cellBytes(result));
        return;
      }
      default:
        return assertNever(message, 'panel message');
    }
  };
}

// What the panel asks of the host (PanelToHost), carried out on its document.
import * as vscode from 'vscode';
import { assertNever } from '../../core/assertNever';
import type { HostToPanel, PanelToHost } from '../../core/protocol';
import { messageOf } from '../../core/errorMessage';
import { findOpenDocument, sourceOf } from '../documents';
import { editedText, revealPath, setJsonValue } from '../edits';
import { exportBytes, saveWithDialog, workerExport } from '../exporting';
import type { ScenarioRunner } from '../runner';

/** How long a gesture's document edit waits at most for the panel to draw the engine's answer first. */
const ANSWER_FIRST_MAX_MS = 250;

/**
 * `focusPanel` gives the keyboard back to the panel after an undo it asked for; `drawn` resolves once the
 * panel has drawn every event sent to it; `post` answers the panel's requests.
 */
export function panelMessageHandler(
  runner: ScenarioRunner,
  focusPanel: () => void,
  drawn: () => Promise<void>,
  post: (message: HostToPanel) => void,
): (message: PanelToHost, documentUri: string) => Promise<void> {
  const open = async (uri: string) => findOpenDocument(uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editorOf = (document: vscode.TextDocument) => vscode.window.visibleTextEditors.find((e) => e.document === document);
  /** Final edits land one after another, in the order the panel sent them. */
  let applying: Promise<unknown> = Promise.resolve();
  /** The run of the panel's latest edit. */
  let answering: Promise<unknown> = Promise.resolve();

  return async (message, documentUri) => {
    switch (message.type) {
      case 'ready': // the panel host answers it with a hydrate
      case 'drawn': // the panel host paces its events with it
        return;
      case 'edit': {
        const document = await open(documentUri);
        const { path, value } = message;
        // Mid-gesture the document is left alone (one gesture = one undo step): the engine evaluates the edited text.
        const text = editedText(document, path, value);
        if (message.transient) {
          answering = runner.run({ ...sourceOf(document), text });
          return;
        }
        // A value no transient edit carried (a release between two throttled ones) is evaluated now.
        if (text !== runner.lastText(documentUri)) answering = runner.run({ ...sourceOf(document), text });
        // The engine's answer reaches the panel first, the document edit after it: applying an edit keeps
        // VS Code's window, where the webview draws, busy for tens of milliseconds.
        const answered = Promise.race([answering.then(drawn), new Promise((resolve) => setTimeout(resolve, ANSWER_FIRST_MAX_MS))]);
        applying = applying
          .then(() => answered)
          .then(() => {
            // Evaluated already (or superseded by a newer gesture): live update must not run it again.
            runner.panelWrites(documentUri, editedText(document, path, value));
            return setJsonValue(document, path, value);
          });
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
      case 'rowDetail': {
        const { cellId, element } = message;
        try {
          const detail = await runner.detail(sourceOf(await open(documentUri)), cellId, element);
          post({ type: 'rowDetail', cellId, element, detail });
        } catch (error) {
          post({ type: 'rowDetail', cellId, element, error: messageOf(error) });
        }
        return;
      }
      case 'exportCell':
        await saveWithDialog(vscode.Uri.parse(documentUri), message.suggestedName, 'json', workerExport(runner, documentUri, message.cellId));
        return;
      default:
        return assertNever(message, 'panel message');
    }
  };
}

// What the panel asks of the host (PanelHostApi), carried out on its document.
import * as vscode from 'vscode';
import type { Handlers } from '../../core/channel';
import { messageOf } from '../../core/errorMessage';
import type { PanelHostApi } from '../../core/protocol';
import { findOpenDocument, sourceOf } from '../documents';
import { editedText, revealPath, setJsonValue } from '../edits';
import { exportBytes, saveWithDialog, workerExport } from '../exporting';
import type { ScenarioRunner } from '../runner';
import { LatestOnly } from './latestOnly';

/** How long a gesture's document edit waits at most for the panel to draw the engine's answer first. */
const ANSWER_FIRST_MAX_MS = 250;

export interface PanelContext {
  /** The document the panel shows, or null. */
  documentUri(): string | null;
  /** The panel (re)loaded: it wants a hydrate. */
  ready(): void;
  /** Gives the keyboard back to the panel after an undo it asked for; resolves once it has it (or gave up). */
  focusPanel(): Promise<unknown>;
  /** Resolves once the panel has drawn every event sent to it. */
  drawn(): Promise<void>;
  /** Something the panel asked for failed: it is said in the panel. */
  failed(message: string): void;
}

export function panelHandlers(runner: ScenarioRunner, panel: PanelContext): Handlers<PanelHostApi> {
  const open = async (uri: string) => findOpenDocument(uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editorOf = (document: vscode.TextDocument) => vscode.window.visibleTextEditors.find((e) => e.document === document);
  /** Final edits land one after another, in the order the panel sent them. */
  let applying: Promise<unknown> = Promise.resolve();
  /** A drag's transient edits: one run at a time, the newest value next. */
  const transients = new LatestOnly();
  /** The run of the panel's latest edit. */
  let answering: Promise<unknown> = Promise.resolve();
  const uriOf = () => {
    const uri = panel.documentUri();
    if (!uri) throw new Error('The panel shows no scenario.');
    return uri;
  };
  /** Carries out a notice on the panel's document; a failure is said in the panel, never lost. */
  const onDocument = (act: (uri: string) => unknown) => () => void (async () => act(uriOf()))().catch((err: unknown) => panel.failed(messageOf(err)));
  const onDocumentWith =
    <P>(act: (uri: string, params: P) => unknown) =>
    (params: P) =>
      onDocument((uri) => act(uri, params))();

  const edit = async (documentUri: string, { path, value, transient }: PanelHostApi['notices']['edit']) => {
    const document = await open(documentUri);
    // Mid-gesture the document is left alone (one gesture = one undo step): the engine evaluates the edited text.
    const text = editedText(document, path, value);
    if (transient) {
      const cell = typeof path[1] === 'number' ? path[1] : -1;
      answering = transients.push(() => runner.runUntilAnswered({ ...sourceOf(document), text }, cell));
      return;
    }
    // A transient edit still waiting is older than this value; one that never ran is evaluated now.
    transients.clear();
    if (text !== runner.lastText(documentUri)) answering = runner.run({ ...sourceOf(document), text });
    // The engine's answer reaches the panel first, the document edit after it: applying an edit keeps
    // VS Code's window, where the webview draws, busy for tens of milliseconds.
    const answered = Promise.race([answering.then(panel.drawn), new Promise((resolve) => setTimeout(resolve, ANSWER_FIRST_MAX_MS))]);
    applying = applying
      .then(() => answered)
      .then(() => {
        // Evaluated already (or superseded by a newer gesture): live update must not run it again.
        runner.panelWrites(documentUri, editedText(document, path, value));
        return setJsonValue(document, path, value);
      });
    await applying;
  };

  /** Undo acts on the focused editor: focus the scenario's, undo there, hand the keyboard back. */
  const undoRedo = (command: 'undo' | 'redo') =>
    onDocument(async (uri) => {
      const document = await open(uri);
      await vscode.window.showTextDocument(document, { viewColumn: editorOf(document)?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
      await vscode.commands.executeCommand(command);
      await panel.focusPanel();
    });

  return {
    requests: {
      rowDetail: async ({ cellId, element }) => runner.detail(sourceOf(await open(uriOf())), cellId, element),
      rows: ({ cellId, from, count }) => runner.rows(uriOf(), cellId, from, count),
    },
    notices: {
      ready: () => panel.ready(),
      edit: onDocumentWith(edit),
      undo: undoRedo('undo'),
      redo: undoRedo('redo'),
      run: onDocumentWith(async (uri, { cellId }: { cellId?: string }) => void runner.run(sourceOf(await open(uri)), cellId)),
      copyAsPytorch: onDocumentWith((uri, { cellId }: { cellId: string }) =>
        vscode.commands.executeCommand('ceLab.copyAsPytorch', vscode.Uri.parse(uri), cellId),
      ),
      stop: () => runner.stop(),
      pause: () => runner.setPaused(true),
      resume: () => runner.setPaused(false),
      step: () => runner.step(),
      reveal: onDocumentWith(async (uri, { path }: PanelHostApi['notices']['reveal']) => {
        const document = await open(uri);
        return revealPath(document, path, editorOf(document)?.viewColumn ?? vscode.ViewColumn.One);
      }),
      export: onDocumentWith((uri, { format, suggestedName, data }: PanelHostApi['notices']['export']) =>
        saveWithDialog(vscode.Uri.parse(uri), suggestedName, format, exportBytes(format, data)),
      ),
      exportCell: onDocumentWith((uri, { cellId, suggestedName }: PanelHostApi['notices']['exportCell']) =>
        saveWithDialog(vscode.Uri.parse(uri), suggestedName, 'json', workerExport(runner, uri, cellId)),
      ),
    },
  };
}

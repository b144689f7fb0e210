// The CE Lab kernel of `ce-lab-notebook`: runs cells on the panel's engine
// worker through the ScenarioRunner (Run Cell, Run All, Run Above; cancel is
// Stop), numbers executions, marks the cells that depend on an edited cell
// stale, and takes the renderer's messages (a logit bar dragged, Re-run, Stop).
import * as vscode from 'vscode';
import type { Wire } from '../../core/channel';
import type { PanelHostApi } from '../../core/protocol';
import { locateCells, setValueEdits } from '../jsonPaths';
import type { ScenarioRunner, ScenarioSource } from '../runner';
import { CellRun } from './cellRun';
import { dependentsOf } from './dependencies';
import { saveNotebook } from './notebookText';
import { modelOfDocument, NOTEBOOK_TYPE } from './serializer';

export const RENDERER_ID = 'ce-lab-renderer';

/** The runner's key for a notebook: its own, so the text editor's diagnostics and panel of the same file are left alone. */
export const runKey = (notebook: vscode.NotebookDocument): string => notebook.uri.with({ fragment: NOTEBOOK_TYPE }).toString();

/** What the engine evaluates: the notebook as it would save now. */
function notebookSource(notebook: vscode.NotebookDocument): { source: ScenarioSource; indexes: (number | null)[] } {
  const { text, indexes } = saveNotebook(modelOfDocument(notebook));
  const saved = notebook.uri.scheme !== 'untitled';
  const source = {
    uri: runKey(notebook),
    text,
    folder: saved ? vscode.Uri.joinPath(notebook.uri, '..').toString() : null,
    root: vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri.toString() ?? null,
  };
  return { source, indexes };
}

export class ScenarioNotebookController implements vscode.Disposable {
  private readonly controller = vscode.notebooks.createNotebookController('ce-lab-notebook-kernel', NOTEBOOK_TYPE, 'CE Lab');
  private readonly messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  private readonly staleChanged = new vscode.EventEmitter<void>();
  /** Cells whose output was computed from an input that has changed since. */
  private readonly stale = new WeakSet<vscode.NotebookCell>();
  private readonly disposables: vscode.Disposable[];
  private order = 0;

  constructor(private readonly runner: ScenarioRunner) {
    const c = this.controller;
    c.supportedLanguages = ['json'];
    c.supportsExecutionOrder = true;
    c.description = 'PyTorch-exact cross-entropy, on the CE Lab engine';
    c.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    c.interruptHandler = () => runner.stop();
    this.disposables = [
      c,
      this.staleChanged,
      this.messaging.onDidReceiveMessage(({ editor, message }) => this.fromRenderer(editor, message as Wire)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.changed(e)),
      vscode.workspace.onDidOpenNotebookDocument((n) => this.prefer(n)),
      vscode.workspace.onDidCloseNotebookDocument((n) => runner.forget(runKey(n))),
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, {
        onDidChangeCellStatusBarItems: this.staleChanged.event,
        provideCellStatusBarItems: (cell) =>
          this.stale.has(cell)
            ? [new vscode.NotebookCellStatusBarItem('$(warning) stale: an input changed', vscode.NotebookCellStatusBarAlignment.Left)]
            : [],
      }),
    ];
    vscode.workspace.notebookDocuments.forEach((n) => this.prefer(n));
  }

  /** The only kernel a scenario notebook has: preferred, so Run needs no kernel picked first. */
  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  /** Run All runs the scenario once; other selections (Run Cell, Run Above) run their cells one by one, in order. */
  async execute(cells: readonly vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const { source, indexes } = notebookSource(notebook);
    const code = (c: vscode.NotebookCell) => c.kind === vscode.NotebookCellKind.Code;
    const requested = cells.filter(code);
    const whole = requested.length === notebook.getCells().filter(code).length || requested.some((c) => indexes[c.index] === null);
    const ids = locateCells(source.text);
    const batches = whole ? [{ cells: requested, cellId: undefined }] : requested.map((c) => ({ cells: [c], cellId: ids[indexes[c.index]!]?.id }));
    for (const batch of batches) {
      const run = new CellRun(
        this.runner,
        source,
        batch.cells.map((cell) => ({ index: indexes[cell.index] ?? 0, execution: this.controller.createNotebookCellExecution(cell) })),
        () => ++this.order,
      );
      batch.cells.forEach((cell) => this.stale.delete(cell));
      this.staleChanged.fire();
      const state = await run.run(batch.cellId);
      if (state.cancelled) break;
    }
  }

  /** An edited cell's output, and those of the cells that depend on it, no longer match their input. */
  private changed(e: vscode.NotebookDocumentChangeEvent): void {
    if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
    const edited = e.cellChanges.filter((c) => c.document).map((c) => c.cell);
    if (edited.length === 0) return;
    const { source, indexes } = notebookSource(e.notebook);
    const cells = e.notebook.getCells();
    for (const cell of edited) {
      const index = indexes[cell.index];
      const dependents = index === null ? [] : dependentsOf(source.text, index);
      for (const other of [cell, ...cells.filter((c) => dependents.includes(indexes[c.index] ?? -1))])
        if (other.outputs.length) this.stale.add(other);
    }
    this.staleChanged.fire();
  }

  /**
   * The renderer speaks the panel's channel (core/channel.ts): its notices Stop, Run, Copy as PyTorch, and an edit
   * of cells[i], which goes into that notebook cell's JSON, which then runs. Its requests (a streamed cell's rows)
   * need the panel: they are answered with why not.
   */
  private async fromRenderer(editor: vscode.NotebookEditor, wire: Wire): Promise<void> {
    if (wire.kind === 'request')
      return void this.messaging.postMessage(
        { kind: 'reply', id: wire.id, error: 'Open the scenario in the CE Lab panel for this.' } satisfies Wire,
        editor,
      );
    if (wire.kind !== 'notice') return;
    const notebook = editor.notebook;
    type Params<M extends keyof PanelHostApi['notices']> = PanelHostApi['notices'][M];
    if (wire.method === 'stop') return this.runner.stop();
    // The file as saved: Copy as PyTorch reads the scenario's text document.
    if (wire.method === 'copyAsPytorch')
      return void vscode.commands.executeCommand('ceLab.copyAsPytorch', notebook.uri, (wire.params as Params<'copyAsPytorch'>).cellId);
    const { indexes, source } = notebookSource(notebook);
    const cellAt = (index: unknown) => notebook.getCells().find((c) => indexes[c.index] === index);
    if (wire.method === 'run') {
      const { cellId } = wire.params as Params<'run'>;
      const index = locateCells(source.text).find((c) => c.id === cellId)?.index;
      const cell = cellId === undefined ? undefined : cellAt(index);
      return this.execute(cell ? [cell] : notebook.getCells(), notebook);
    }
    if (wire.method !== 'edit') return;
    const message = wire.params as Params<'edit'>;
    if (message.transient || message.path[0] !== 'cells') return;
    const cell = cellAt(message.path[1]);
    if (!cell) return;
    const text = cell.document.getText();
    const indent = /\n([ \t]+)/.exec(text)?.[1] ?? '  ';
    const edit = new vscode.WorkspaceEdit();
    for (const e of setValueEdits(text, message.path.slice(2), message.value, indent)) {
      edit.replace(cell.document.uri, new vscode.Range(cell.document.positionAt(e.offset), cell.document.positionAt(e.offset + e.length)), e.content);
    }
    if (await vscode.workspace.applyEdit(edit)) await this.execute([cell], notebook);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

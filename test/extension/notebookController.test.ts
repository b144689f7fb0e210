// The notebook kernel (extension/notebook/controller.ts, cellRun.ts) with a fake
// VS Code around it and an engine the test drives with recorded engine events:
// Run All evaluates the file's own bytes once and numbers the executions; one
// cell runs as a one-cell run; outputs carry the renderer's payload and the CLI
// summary; an error output names the JSON path; cancelling is Stop; a cell the
// engine never finished ends with the run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PanelEvent } from '../../core/events';
import { CELL_OUTPUT_MIME, decodeCellOutput } from '../../core/notebook/cellOutput';
import { ScenarioRunner } from '../../extension/runner';
import { FakeEngine } from '../helpers/fakeEngine';

const fake = vi.hoisted(() => {
  const listeners = <T>() => {
    const all = new Set<(e: T) => void>();
    const on = (l: (e: T) => void) => (all.add(l), { dispose: () => all.delete(l) });
    return Object.assign(on, { fire: (e: T) => all.forEach((l) => l(e)) });
  };
  const uri = (s: string) => ({ scheme: s.split(':')[0], toString: () => s, with: ({ fragment }: { fragment: string }) => uri(`${s}#${fragment}`) });
  interface Item {
    mime: string;
    data: unknown;
  }
  class NotebookCellOutput {
    constructor(readonly items: Item[]) {}
  }
  interface Execution {
    order?: number;
    started: boolean;
    ended?: boolean | undefined;
    outputs: NotebookCellOutput[];
    cancel: ReturnType<typeof listeners<void>>;
  }
  const executions: Execution[] = [];
  const statusBar = { provider: null as null | { provideCellStatusBarItems(cell: unknown): unknown[] } };
  const notebookChanged = listeners<unknown>();
  const controller = {
    executeHandler: undefined as unknown as (cells: unknown[], notebook: unknown) => Promise<void>,
    createNotebookCellExecution: () => {
      const cancel = listeners<void>();
      const record: Execution = { started: false, outputs: [], cancel };
      executions.push(record);
      return {
        token: { onCancellationRequested: cancel },
        set executionOrder(n: number) {
          record.order = n;
        },
        start: () => void (record.started = true),
        end: (ok: boolean | undefined) => void (record.ended = ok),
        clearOutput: async () => void (record.outputs = []),
        replaceOutput: async (o: NotebookCellOutput | NotebookCellOutput[]) => void (record.outputs = [o].flat()),
        replaceOutputItems: async (items: Item[]) => void (record.outputs = [new NotebookCellOutput(items)]),
      };
    },
    updateNotebookAffinity: () => undefined,
    dispose: () => undefined,
  };
  class Data {
    metadata: unknown;
    constructor(...args: unknown[]) {
      Object.assign(this, { args });
    }
  }
  const vscode = {
    NotebookCellKind: { Markup: 1, Code: 2 },
    NotebookControllerAffinity: { Preferred: 2 },
    NotebookCellStatusBarAlignment: { Left: 1 },
    NotebookCellStatusBarItem: class {},
    NotebookData: class extends Data {
      constructor(readonly cells: unknown[]) {
        super();
      }
    },
    NotebookCellData: class extends Data {
      constructor(
        readonly kind: number,
        readonly value: string,
        readonly languageId: string,
      ) {
        super();
      }
    },
    NotebookCellOutput,
    NotebookCellOutputItem: {
      text: (data: string, mime = 'text/plain'): Item => ({ mime, data }),
      error: (e: Error): Item => ({ mime: 'application/vnd.code.notebook.error', data: { name: e.name, message: e.message } }),
    },
    EventEmitter: class {
      private readonly all = listeners<void>();
      event = this.all;
      fire = () => this.all.fire();
      dispose = () => undefined;
    },
    Uri: { joinPath: (base: { toString(): string }, ...parts: string[]) => uri([base.toString(), ...parts].join('/')) },
    notebooks: {
      createNotebookController: () => controller,
      createRendererMessaging: () => ({ onDidReceiveMessage: listeners<unknown>() }),
      registerNotebookCellStatusBarItemProvider: (_type: string, p: typeof statusBar.provider) => (
        (statusBar.provider = p),
        { dispose: () => undefined }
      ),
    },
    workspace: {
      notebookDocuments: [],
      getWorkspaceFolder: () => undefined,
      onDidChangeNotebookDocument: notebookChanged,
      onDidOpenNotebookDocument: listeners<unknown>(),
      onDidCloseNotebookDocument: listeners<unknown>(),
    },
  };
  return { vscode, controller, executions, uri, statusBar, notebookChanged };
});
vi.mock('vscode', () => fake.vscode);

const { ScenarioNotebookController } = await import('../../extension/notebook/controller');
const { ScenarioNotebookSerializer } = await import('../../extension/notebook/serializer');

const ROOT = join(__dirname, '../..');
const SORIX = readFileSync(join(ROOT, 'examples/sorix.ce.json'), 'utf8');
const recorded: PanelEvent[] = JSON.parse(readFileSync(join(ROOT, 'test/webview/fixtures/sorix.json'), 'utf8')).events;
const golden = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/torch-golden-public.json'), 'utf8'));
const sorixLoss: number = golden.loss_cases.find((c: { name: string }) => c.name === 'doc_sorix_example').expected.float32.loss;

/** A scenario (sorix.ce.json) opened as VS Code would: through the serializer, cells with their documents and metadata. */
function openSorix(text = SORIX) {
  const data = new ScenarioNotebookSerializer().deserializeNotebook(new TextEncoder().encode(text)) as unknown as {
    cells: { kind: number; value: string; metadata: unknown }[];
    metadata: unknown;
  };
  const cells = data.cells.map((c, index) => ({ index, kind: c.kind, metadata: c.metadata, outputs: [{}], document: { getText: () => c.value } }));
  return { uri: fake.uri('file:///w/sorix.ce.json'), notebookType: 'ce-lab-notebook', metadata: data.metadata, getCells: () => cells };
}

let engine: FakeEngine;
beforeEach(() => {
  fake.executions.length = 0;
  engine = new FakeEngine();
  new ScenarioNotebookController(new ScenarioRunner(engine, async () => new Uint8Array()));
});

/** The run's engine events, then its end. */
async function answer(run: number, events: PanelEvent[], cancelled = false): Promise<void> {
  engine.runs[run].events(events.map((e) => (e.kind === 'done' ? { ...e, cancelled } : e)));
  engine.runs[run].end();
  await new Promise((resolve) => setImmediate(resolve));
}

describe('the CE Lab notebook kernel', () => {
  it("Run All evaluates the file's own bytes once; executions are numbered and carry PyTorch's loss", async () => {
    const notebook = openSorix();
    const code = notebook.getCells().filter((c) => c.kind === 2);
    const done = fake.controller.executeHandler(code, notebook);
    expect(engine.runs).toHaveLength(1);
    expect(engine.runs[0].request.text).toBe(SORIX);
    expect(engine.runs[0].request.cellId).toBeUndefined();
    await answer(0, recorded);
    await done;
    const [loss, train] = fake.executions;
    expect([loss.order, train.order]).toEqual([1, 2]);
    expect([loss.ended, train.ended]).toEqual([true, true]);
    const [payload, text] = loss.outputs[0].items;
    expect(payload.mime).toBe(CELL_OUTPUT_MIME);
    const output = decodeCellOutput(payload.data as string);
    expect(output.index).toBe(1);
    expect(output.cell.result).toMatchObject({ id: 'two-samples', ok: true });
    expect(text.data).toMatch(/^loss = [\d.]+ \(mean\)$/);
    expect(Number(/[\d.]+/.exec(text.data as string)![0])).toBeCloseTo(sorixLoss, 6);
    expect(decodeCellOutput(train.outputs[0].items[0].data as string).cell.header.id).toBe('linear-sgd');
  });

  it('Run Cell is a one-cell run of that cell', async () => {
    const notebook = openSorix();
    const done = fake.controller.executeHandler([notebook.getCells()[1]], notebook);
    expect(engine.runs[0].request.cellId).toBe('two-samples');
    await answer(0, recorded.slice(0, 5).concat({ kind: 'done', cancelled: false }));
    await done;
    expect(fake.executions).toHaveLength(1);
    expect(fake.executions[0].ended).toBe(true);
  });

  it("a streamed cell's execution ends with its calibrated result, not with the loss reported before it", async () => {
    const notebook = openSorix();
    const done = fake.controller.executeHandler([notebook.getCells()[1]], notebook);
    const result = recorded.find((e) => e.kind === 'cell-result' && e.index === 1);
    if (result?.kind !== 'cell-result' || result.result.type !== 'loss') throw new Error('no loss result recorded');
    const provisional = { ...result, result: { ...result.result, view: { ...result.result.view, calibrating: 'reading the file…' } } };
    engine.runs[0].events([recorded[0], { kind: 'cell-started', index: 1, id: 'two-samples' }, provisional]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.executions[0].ended).toBeUndefined(); // not ended yet
    expect(decodeCellOutput(fake.executions[0].outputs[0].items[0].data as string).cell.result).toMatchObject({
      view: { calibrating: 'reading the file…' },
    });
    await answer(0, [result, { kind: 'done', cancelled: false }]);
    await done;
    expect(fake.executions[0].ended).toBe(true);
    const shown = decodeCellOutput(fake.executions[0].outputs[0].items[0].data as string).cell.result;
    expect(shown?.ok && shown.type === 'loss' && shown.view.calibrating).toBe(undefined);
  });

  it('an error output names the JSON path of the offending value', async () => {
    const notebook = openSorix();
    const done = fake.controller.executeHandler([notebook.getCells()[1]], notebook);
    const error = { message: 'Target 7 is out of bounds.', path: ['cells', 1, 'target', 1] };
    await answer(0, [
      recorded[0],
      { kind: 'cell-started', index: 1, id: 'two-samples' },
      { kind: 'cell-failed', index: 1, result: { id: 'two-samples', type: 'loss', ok: false, error } },
      { kind: 'done', cancelled: false },
    ]);
    await done;
    expect(fake.executions[0].ended).toBe(false);
    expect(fake.executions[0].outputs[0].items[0].data).toEqual({ name: 'Error at cells[1].target[1]', message: 'Target 7 is out of bounds.' });
  });

  it('cancelling an execution is Stop; the cell the engine was running ends stopped', async () => {
    const notebook = openSorix();
    const code = notebook.getCells().filter((c) => c.kind === 2);
    const done = fake.controller.executeHandler(code, notebook);
    const training = recorded.slice(0, 7); // up to the training's first progress
    engine.runs[0].events(training);
    fake.executions[1].cancel.fire();
    expect(engine.stops).toBe(1);
    await answer(0, [{ kind: 'done', cancelled: true }], true);
    await done;
    expect(fake.executions[1].ended).toBe(false);
    const partial = decodeCellOutput(fake.executions[1].outputs[0].items[0].data as string);
    expect(partial.cell.status).toBe('stopped');
    expect(partial.cell.train?.done).toBeGreaterThan(0);
  });

  it('an edited cell, and the sweeps of it, are marked stale; the others are not', () => {
    const text = JSON.stringify({
      cells: [
        { type: 'loss', id: 'a' },
        { type: 'sweep', of: 'a' },
        { type: 'loss', id: 'b' },
        { type: 'sweep', of: 'b' },
      ],
    });
    const notebook = openSorix(text);
    const [a, sweepOfA, b, sweepOfB] = notebook.getCells();
    fake.notebookChanged.fire({ notebook, cellChanges: [{ cell: a, document: {} }] });
    const stale = (cell: unknown) => fake.statusBar.provider!.provideCellStatusBarItems(cell).length > 0;
    expect([a, sweepOfA, b, sweepOfB].map(stale)).toEqual([true, true, false, false]);
  });
});

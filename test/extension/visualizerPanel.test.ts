// The panel host (extension/panel/visualizerPanel.ts) with a fake VS Code around
// it and a fake webview counting what it is sent: the whole state (a hydrate)
// goes only when the panel (re)appears or is bound to another document, never on
// a focus change (a click in the panel); Stop's answer is not held up behind one.
// A knob: the engine's answer is drawn before the document is written, and no
// superseded gesture is evaluated again.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../core/events';
import type { Wire } from '../../core/channel';
import type { Hydrate } from '../../core/protocol';
import { FakeEngine } from '../helpers/fakeEngine';
import { ScenarioRunner } from '../../extension/runner';

const fake = vi.hoisted(() => {
  interface FakeUri {
    path: string;
    scheme: string;
    toString(): string;
  }
  const uri = (s: string): FakeUri => ({ path: s.replace(/^\w+:\/\//, ''), scheme: s.split(':')[0], toString: () => s });
  const listeners = <T>() => {
    const all = new Set<(e: T) => void>();
    const on = (l: (e: T) => void) => (all.add(l), { dispose: () => all.delete(l) });
    return Object.assign(on, { fire: (e: T) => all.forEach((l) => l(e)) });
  };
  const posted: Wire[] = [];
  /** What the host asked of VS Code for an undo, in order. */
  const calls: string[] = [];
  /** A new webview panel, as VS Code makes one (the test's host is its only listener). */
  const newPanel = () => {
    const panel = {
      visible: true,
      active: true,
      title: '',
      iconPath: undefined as unknown,
      viewState: listeners<void>(),
      fromWebview: listeners<Wire>(),
      webview: {
        html: '',
        options: {},
        cspSource: 'vscode-webview://x',
        asWebviewUri: (u: FakeUri) => u,
        postMessage: async (m: Wire) => (posted.push(structuredClone(m)), true),
        onDidReceiveMessage: (l: (m: Wire) => void) => panel.fromWebview(l),
      },
      onDidChangeViewState: (l: () => void) => panel.viewState(l),
      onDidDispose: () => ({ dispose: () => undefined }),
      reveal: (_column: unknown, preserveFocus: boolean) => void calls.push(preserveFocus ? 'reveal' : 'reveal+focus'),
      dispose: () => undefined,
    };
    return panel;
  };
  const state = { panel: newPanel() };
  const changes = listeners<{ document: FakeDocument; contentChanges: unknown[] }>();
  interface FakeDocument {
    uri: FakeUri;
    text: string;
    isClosed: boolean;
    eol: number;
    getText(): string;
    positionAt(offset: number): number;
  }
  const textDocuments: FakeDocument[] = [];
  /** An open document; a WorkspaceEdit changes it and fires onDidChangeTextDocument, as VS Code does. */
  const document = (name: string, text: string): FakeDocument => {
    const d: FakeDocument = { uri: uri(`file:///w/${name}`), text, isClosed: false, eol: 1, getText: () => d.text, positionAt: (offset) => offset };
    textDocuments.push(d);
    return d;
  };
  class WorkspaceEdit {
    replacements: { uri: FakeUri; start: number; end: number; content: string }[] = [];
    replace(u: FakeUri, range: { start: number; end: number }, content: string) {
      this.replacements.push({ uri: u, ...range, content });
    }
  }
  const vscode = {
    Disposable: { from: (...all: { dispose(): void }[]) => ({ dispose: () => all.forEach((d) => d.dispose()) }) },
    WorkspaceEdit,
    Range: class {
      constructor(
        readonly start: number,
        readonly end: number,
      ) {}
    },
    EndOfLine: { LF: 1, CRLF: 2 },
    ViewColumn: { One: 1, Beside: -2 },
    Uri: { parse: uri, joinPath: (base: FakeUri, ...parts: string[]) => uri([base.toString(), ...parts].join('/')) },
    window: {
      createWebviewPanel: () => (state.panel = newPanel()),
      onDidChangeActiveTextEditor: listeners<unknown>(),
      activeTextEditor: undefined,
      visibleTextEditors: [],
      showErrorMessage: async () => undefined,
      showTextDocument: async () => void calls.push('showTextDocument'),
    },
    commands: { executeCommand: async (command: string) => void calls.push(command) },
    workspace: {
      getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
      getWorkspaceFolder: () => undefined,
      textDocuments,
      onDidChangeTextDocument: changes,
      onDidCloseTextDocument: listeners<unknown>(),
      applyEdit: async (edit: WorkspaceEdit) => {
        for (const r of [...edit.replacements].sort((a, b) => b.start - a.start)) {
          const d = textDocuments.find((t) => t.uri.toString() === r.uri.toString())!;
          d.text = d.text.slice(0, r.start) + r.content + d.text.slice(r.end);
          changes.fire({ document: d, contentChanges: [r] });
        }
        return true;
      },
    },
  };
  return { vscode, state, posted, calls, uri, document };
});
vi.mock('vscode', () => fake.vscode);

const { VisualizerPanel } = await import('../../extension/panel/visualizerPanel');
const { registerLiveUpdate } = await import('../../extension/live');

const document = (name: string) => fake.document(name, '{"version": 1, "cells": []}');
const training: EngineEvent[] = [
  { kind: 'scenario', title: 't', dtype: 'float32', cells: [{ index: 0, id: 'long', type: 'train' }] },
  { kind: 'cell-started', index: 0, id: 'long' },
];
const progress = (done: number): EngineEvent => ({
  kind: 'train-progress',
  index: 0,
  id: 'long',
  done,
  steps: 1_000_000,
  losses: [0.5],
  accuracy: [1],
  boundary: null,
});
const panel = () => fake.state.panel;
const hydrates = () => fake.posted.flatMap((m) => (m.kind === 'notice' && m.method === 'hydrate' ? [m.params as Hydrate] : []));
/** The event batches the panel was asked to draw. */
const sentEvents = () => fake.posted.flatMap((m) => (m.kind === 'request' && m.method === 'draw' ? [m] : []));
/** The panel tells the host something. */
const fromPanel = (method: string, params: object = {}) => panel().fromWebview.fire({ kind: 'notice', method, params });
/** The panel drew the batch of request `id`. */
const drew = (id: number) => panel().fromWebview.fire({ kind: 'reply', id, result: null });

describe('the panel host: a whole-state hydrate only when the panel (re)appears or is bound', () => {
  let engine: FakeEngine;
  let host: InstanceType<typeof VisualizerPanel>;
  beforeEach(() => {
    fake.posted.length = 0;
    engine = new FakeEngine();
    const runner = new ScenarioRunner(engine, async () => new Uint8Array());
    const context = { extensionUri: fake.uri('file:///ext'), workspaceState: { get: () => undefined, update: async () => undefined } };
    host = new VisualizerPanel(context as never, runner);
    host.show(document('long.ce.json') as never);
    fromPanel('ready');
    engine.runs[0].events([...training, progress(1)]);
  });

  /** The panel drew everything it was sent. */
  const drawAll = () => {
    for (const m of sentEvents()) drew(m.id);
  };

  it('sends none on focus moving in and out of the panel (a click in it), however often', () => {
    const before = hydrates().length;
    expect(before).toBe(2); // bound to the document, then the webview said ready
    for (let i = 0; i < 5; i++) {
      panel().active = i % 2 === 0;
      panel().viewState.fire();
    }
    expect(hydrates()).toHaveLength(before);
  });

  it('sends one when the panel comes back into view, with what happened while it was hidden', () => {
    drawAll();
    panel().visible = false;
    panel().viewState.fire();
    engine.runs[0].events([progress(2)]);
    expect(hydrates()).toHaveLength(2);
    panel().visible = true;
    panel().viewState.fire();
    panel().viewState.fire(); // focus, once visible: nothing more
    expect(hydrates()).toHaveLength(3);
    const last = hydrates().at(-1);
    expect(last?.state.cells[0].train?.done).toBe(2);
  });

  it('sends one when bound to another scenario', () => {
    host.show(document('other.ce.json') as never);
    expect(hydrates()).toHaveLength(3);
    expect(hydrates().at(-1)).toMatchObject({ documentUri: 'file:///w/other.ce.json' });
  });

  it("answers Stop with the run's end only, not a whole state", async () => {
    drawAll();
    panel().active = true;
    panel().viewState.fire(); // the click that pressed Stop focused the panel
    fromPanel('stop');
    await vi.waitFor(() => expect(engine.stops).toBe(1));
    const count = fake.posted.length;
    engine.runs[0].events([{ kind: 'done', cancelled: true }]);
    expect(fake.posted.slice(count)).toEqual([
      { kind: 'request', id: 2, method: 'draw', params: { documentUri: 'file:///w/long.ce.json', events: [{ kind: 'done', cancelled: true }] } },
    ]);
    expect(hydrates()).toHaveLength(2);
  });
});

describe('a panel knob: the engine answers first, the document follows, nothing superseded runs again', () => {
  const text = (smoothing: number) =>
    JSON.stringify({ version: 1, cells: [{ type: 'loss', id: 'a', logits: [[2, 1, 0.1]], target: [0], label_smoothing: smoothing }] }, null, 2);
  const path = ['cells', 0, 'label_smoothing'];
  const answer: EngineEvent[] = [
    { kind: 'scenario', title: '', dtype: 'float32', cells: [{ index: 0, id: 'a', type: 'loss' }] },
    { kind: 'done', cancelled: false },
  ];
  let engine: FakeEngine;
  let doc: ReturnType<typeof fake.document>;
  beforeEach(() => {
    fake.posted.length = 0;
    engine = new FakeEngine();
    const runner = new ScenarioRunner(engine, async () => new Uint8Array());
    const context = { extensionUri: fake.uri('file:///ext'), workspaceState: { get: () => undefined, update: async () => undefined } };
    registerLiveUpdate(runner);
    doc = fake.document(`knob${Math.random()}.ce.json`, text(0.1));
    new VisualizerPanel(context as never, runner).show(doc as never);
    engine.runs[0].events(answer);
    engine.runs[0].end();
    drew(1);
  });
  /** The panel drew the latest batch. */
  const drawLatest = () => drew(sentEvents().at(-1)!.id);
  /**
   * A barrier: the user types `smoothing` in the editor, and the test waits until the engine was given that text.
   * Evaluations start in order, so any evaluation the host would have started before it has started by then.
   */
  const typed = async (smoothing: number) => {
    const edit = new fake.vscode.WorkspaceEdit();
    edit.replace(doc.uri, { start: 0, end: doc.text.length }, text(smoothing));
    await fake.vscode.workspace.applyEdit(edit);
    await vi.waitFor(() => expect(engine.texts.at(-1)).toBe(text(smoothing)));
  };

  it('evaluates a key press once, and writes the document only after the panel drew the answer', async () => {
    fromPanel('edit', { path, value: 0.11, transient: true });
    fromPanel('edit', { path, value: 0.11, transient: false });
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.11)]));
    const batches = sentEvents().length;
    engine.runs[1].events(answer);
    engine.runs[1].end();
    await vi.waitFor(() => expect(sentEvents().length).toBeGreaterThan(batches));
    expect(doc.text).toBe(text(0.1)); // the answer is on its way to the panel, not drawn yet
    drawLatest();
    await vi.waitFor(() => expect(doc.text).toBe(text(0.11)));
    await typed(0.2);
    // Live update did not evaluate the written text again: the typed text came right after the gesture's.
    expect(engine.texts).toEqual([text(0.1), text(0.11), text(0.2)]);
  });

  it("never re-runs a gesture's write that a newer gesture superseded", async () => {
    fromPanel('edit', { path, value: 0.11, transient: true });
    fromPanel('edit', { path, value: 0.11, transient: false });
    fromPanel('edit', { path, value: 0.12, transient: true });
    // One transient run at a time: 0.12 goes once the run of 0.11 has answered.
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.11)]));
    engine.runs[1].events(answer);
    engine.runs[1].end();
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.11), text(0.12)]));
    engine.runs[2].events(answer);
    engine.runs[2].end();
    drawLatest();
    await vi.waitFor(() => expect(doc.text).toBe(text(0.11)));
    await typed(0.2);
    expect(engine.texts).toEqual([text(0.1), text(0.11), text(0.12), text(0.2)]);
  });

  it("runs a drag's transient edits one at a time, the newest next: the values between are never run", async () => {
    for (const value of [0.2, 0.3, 0.4]) fromPanel('edit', { path, value, transient: true });
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.2)]));
    engine.runs[1].events(answer);
    engine.runs[1].end();
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.2), text(0.4)]));
  });

  it('evaluates a released value no transient edit carried, before writing it', async () => {
    fromPanel('edit', { path, value: 0.3, transient: false });
    await vi.waitFor(() => expect(engine.texts).toEqual([text(0.1), text(0.3)]));
    expect(doc.text).toBe(text(0.1));
    engine.runs[1].events(answer);
    engine.runs[1].end();
    drawLatest();
    await vi.waitFor(() => expect(doc.text).toBe(text(0.3)));
    expect(engine.texts).toHaveLength(2);
  });
});

describe('an undo asked from the panel gives the keyboard back to it', () => {
  beforeEach(() => {
    fake.posted.length = 0;
    fake.calls.length = 0;
    const runner = new ScenarioRunner(new FakeEngine(), async () => new Uint8Array());
    const context = { extensionUri: fake.uri('file:///ext'), workspaceState: { get: () => undefined, update: async () => undefined } };
    new VisualizerPanel(context as never, runner).show(document('undo.ce.json') as never);
  });
  /** The host's focus requests to the panel so far. */
  const focusRequests = () => fake.posted.flatMap((m) => (m.kind === 'request' && m.method === 'focus' ? [m] : []));
  const answer = (id: number, result: boolean) => panel().fromWebview.fire({ kind: 'reply', id, result });

  it('undoes in the editor, then reveals the panel focused and asks it again while it replies that it has no focus', async () => {
    fromPanel('undo');
    await vi.waitFor(() => expect(focusRequests()).toHaveLength(1));
    expect(fake.calls).toEqual(['showTextDocument', 'undo', 'reveal+focus']);
    answer(focusRequests()[0].id, false);
    await vi.waitFor(() => expect(focusRequests()).toHaveLength(2));
    expect(fake.calls.slice(3)).toEqual(['reveal+focus']);
    answer(focusRequests()[1].id, true);
    fromPanel('redo');
    await vi.waitFor(() => expect(focusRequests()).toHaveLength(3));
    // Focused after the second reveal: no third one for the undo; the redo's own follows.
    expect(fake.calls.slice(4)).toEqual(['showTextDocument', 'redo', 'reveal+focus']);
  });
});

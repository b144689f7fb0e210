// The panel host (extension/panel/visualizerPanel.ts) with a fake VS Code around
// it and a fake webview counting what it is sent: the whole state (a hydrate)
// goes only when the panel (re)appears or is bound to another document, never on
// a focus change (a click in the panel); Stop's answer is not held up behind one.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../core/events';
import type { HostToPanel, PanelToHost } from '../../core/protocol';
import type { Engine, RunCallbacks, RunRequest } from '../../extension/engineClient';
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
  const posted: HostToPanel[] = [];
  /** A new webview panel, as VS Code makes one (the test's host is its only listener). */
  const newPanel = () => {
    const panel = {
      visible: true,
      active: true,
      title: '',
      iconPath: undefined as unknown,
      viewState: listeners<void>(),
      fromWebview: listeners<PanelToHost>(),
      webview: {
        html: '',
        options: {},
        cspSource: 'vscode-webview://x',
        asWebviewUri: (u: FakeUri) => u,
        postMessage: async (m: HostToPanel) => (posted.push(structuredClone(m)), true),
        onDidReceiveMessage: (l: (m: PanelToHost) => void) => panel.fromWebview(l),
      },
      onDidChangeViewState: (l: () => void) => panel.viewState(l),
      onDidDispose: () => ({ dispose: () => undefined }),
      reveal: () => undefined,
      dispose: () => undefined,
    };
    return panel;
  };
  const state = { panel: newPanel() };
  const vscode = {
    ViewColumn: { One: 1, Beside: -2 },
    Uri: { parse: uri, joinPath: (base: FakeUri, ...parts: string[]) => uri([base.toString(), ...parts].join('/')) },
    window: {
      createWebviewPanel: () => (state.panel = newPanel()),
      onDidChangeActiveTextEditor: listeners<unknown>(),
      activeTextEditor: undefined,
      visibleTextEditors: [],
      showErrorMessage: async () => undefined,
    },
    workspace: {
      getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
      getWorkspaceFolder: () => undefined,
      textDocuments: [],
    },
  };
  return { vscode, state, posted, uri };
});
vi.mock('vscode', () => fake.vscode);

const { VisualizerPanel } = await import('../../extension/panel/visualizerPanel');

/** An engine whose runs the test drives: it says which events a run reports. */
class FakeEngine implements Engine {
  runs: RunCallbacks[] = [];
  cancels = 0;
  evaluate(_request: RunRequest, callbacks: RunCallbacks): number {
    this.runs.push(callbacks);
    return this.runs.length;
  }
  evaluateBeside(request: RunRequest, callbacks: RunCallbacks): number {
    return this.evaluate(request, callbacks);
  }
  cancel(): void {
    this.cancels++;
  }
  cancelInFlight(): void {}
  setPaused(): void {}
  step(): void {}
}

const document = (name: string) => ({ uri: fake.uri(`file:///w/${name}`), getText: () => '{"version": 1, "cells": []}', isClosed: false });
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
const hydrates = () => fake.posted.filter((m) => m.type === 'hydrate');
const sentEvents = () => fake.posted.flatMap((m) => (m.type === 'events' ? [m] : []));

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
    panel().fromWebview.fire({ type: 'ready' });
    engine.runs[0].events([...training, progress(1)]);
  });

  /** The panel drew everything it was sent. */
  const drawAll = () => {
    for (const m of sentEvents()) panel().fromWebview.fire({ type: 'drawn', seq: m.seq });
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
    expect(last?.type === 'hydrate' && last.state.cells[0].train?.done).toBe(2);
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
    panel().fromWebview.fire({ type: 'stop' });
    await vi.waitFor(() => expect(engine.cancels).toBe(1));
    const count = fake.posted.length;
    engine.runs[0].events([{ kind: 'done', cancelled: true }]);
    expect(fake.posted.slice(count)).toEqual([
      { type: 'events', documentUri: 'file:///w/long.ce.json', events: [{ kind: 'done', cancelled: true }], seq: 2 },
    ]);
    expect(hydrates()).toHaveLength(2);
  });
});

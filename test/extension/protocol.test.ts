// Every message crosses postMessage (structured clone); a round trip must keep it, and the unions must stay exhaustive.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HostToPanel, HostToWorker, PanelToHost, WorkerToHost } from '../../core/protocol';
import { emptyRunState } from '../../core/runState';

const hostToWorker: HostToWorker[] = [
  { type: 'evaluate', runId: 1, text: '{}', cellId: 'a', progressIntervalMs: 50 },
  { type: 'cancel', runId: 1 },
  { type: 'pause', runId: 1, paused: true },
  { type: 'step', runId: 1 },
  { type: 'file', requestId: 3, bytes: new Uint8Array([0x93, 0x4e]) },
  { type: 'file', requestId: 4, error: 'no file at "x.npy"' },
];
const workerToHost: WorkerToHost[] = [
  { type: 'ready' },
  { type: 'events', runId: 1, events: [{ kind: 'cell-started', index: 0, id: 'a' }, { kind: 'done', cancelled: false }] },
  { type: 'finished', runId: 1 },
  { type: 'syntax-error', runId: 1, error: { message: 'comma expected', offset: 12, line: 2, column: 3 } },
  { type: 'error', runId: 1, message: 'x' },
  { type: 'readFile', runId: 1, requestId: 3, path: 'data/x.npy' },
];
const hostToPanel: HostToPanel[] = [
  { type: 'hydrate', documentUri: 'file:///a.ce.json', fileName: 'a.ce.json', state: emptyRunState(), settings: { liveUpdate: true } },
  { type: 'events', documentUri: 'file:///a.ce.json', events: [{ kind: 'file-error', error: { message: 'm', path: [] } }] },
  { type: 'notice', level: 'error', message: 'restarted' },
  { type: 'selectCell', cellId: 'a' },
  { type: 'syntax', documentUri: 'file:///a.ce.json', error: { message: 'comma expected', offset: 12, line: 2, column: 3 } },
];
const panelToHost: PanelToHost[] = [
  { type: 'ready' },
  { type: 'edit', path: ['cells', 1, 'logits', 0, 0], value: 2.5, transient: true },
  { type: 'run', cellId: 'a' },
  { type: 'stop' },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'step' },
  { type: 'reveal', path: ['cells', 1] },
  { type: 'undo' },
  { type: 'redo' },
  { type: 'export', format: 'png', suggestedName: 'a.png', data: 'data:image/png;base64,AAAA' },
  { type: 'copyAsPytorch', cellId: 'two' },
];

describe('protocol', () => {
  it('survives structured clone', () => {
    for (const messages of [hostToWorker, workerToHost, hostToPanel, panelToHost]) expect(structuredClone(messages)).toEqual(messages);
  });

  it('covers every message type of each direction', () => {
    const types = <T extends { type: string }>(ms: T[]) => new Set(ms.map((m) => m.type));
    expectTypeOf<HostToWorker['type']>().toEqualTypeOf<'evaluate' | 'cancel' | 'pause' | 'step' | 'file'>();
    expectTypeOf<WorkerToHost['type']>().toEqualTypeOf<'ready' | 'events' | 'finished' | 'syntax-error' | 'error' | 'readFile'>();
    expectTypeOf<HostToPanel['type']>().toEqualTypeOf<'hydrate' | 'syntax' | 'events' | 'notice' | 'selectCell'>();
    expectTypeOf<PanelToHost['type']>().toEqualTypeOf<'ready' | 'edit' | 'run' | 'stop' | 'pause' | 'resume' | 'step' | 'reveal' | 'undo' | 'redo' | 'export' | 'copyAsPytorch'>();
    expect(types(hostToWorker).size).toBe(5);
    expect(types(workerToHost).size).toBe(6);
    expect(types(hostToPanel).size).toBe(5);
    expect(types(panelToHost).size).toBe(12);
  });
});

// Every message crosses postMessage (structured clone): one message of each type,
// listed by type so that a new message type needs a sample here (a type error
// otherwise), must survive a round trip. The type-level checks: protocol.test-d.ts.
import { describe, expect, it } from 'vitest';
import type { HostToPanel, HostToWorker, PanelToHost, WorkerToHost } from '../../core/protocol';
import type { RowDetail } from '../../core/results';
import { emptyRunState } from '../../core/runState';

const DETAIL: RowDetail = {
  element: 3,
  target: 1,
  targetName: 'dog',
  loss: 2.3,
  classCount: 2,
  classes: [0, 1],
  topCount: 2,
  names: ['cat', 'dog'],
  logits: [1, -1],
  probs: [0.88, 0.12],
  logProbs: [-0.13, -2.13],
  grad: [0.88, -0.88],
};

/** At least one sample of every message type. */
type Samples<M extends { type: string }> = { [T in M['type']]: Extract<M, { type: T }>[] };

const hostToWorker: Samples<HostToWorker> = {
  evaluate: [{ type: 'evaluate', runId: 1, text: '{}', cellId: 'a', progressIntervalMs: 50, limits: { maxElements: 10 } }],
  cancel: [{ type: 'cancel', runId: 1 }],
  pause: [{ type: 'pause', runId: 1, paused: true }],
  step: [{ type: 'step', runId: 1 }],
  file: [
    { type: 'file', requestId: 3, bytes: new Uint8Array([0x93, 0x4e]) },
    { type: 'file', requestId: 4, error: 'no file at "x.npy"' },
  ],
  detail: [{ type: 'detail', runId: 7, text: '{}', cellId: 'big', element: 43210, limits: { maxElements: 10 } }],
  range: [
    { type: 'range', requestId: 5, bytes: new Uint8Array([1, 2, 3]), size: 200_000_128, version: '200000128:1765100000000' },
    { type: 'range', requestId: 6, error: 'logits.npy changed while reading it' },
  ],
};
const workerToHost: Samples<WorkerToHost> = {
  ready: [{ type: 'ready' }],
  events: [
    {
      type: 'events',
      runId: 1,
      events: [
        { kind: 'cell-started', index: 0, id: 'a' },
        { kind: 'done', cancelled: false },
      ],
    },
  ],
  finished: [{ type: 'finished', runId: 1 }],
  'syntax-error': [{ type: 'syntax-error', runId: 1, error: { message: 'comma expected', offset: 12, line: 2, column: 3 } }],
  error: [{ type: 'error', runId: 1, message: 'x' }],
  readFile: [{ type: 'readFile', runId: 1, requestId: 3, path: 'data/x.npy', maxBytes: 1000 }],
  detail: [
    { type: 'detail', runId: 7, detail: DETAIL },
    { type: 'detail', runId: 8, error: 'Element 9 is not in this cell: it has elements 0 to 3.' },
  ],
  readRange: [{ type: 'readRange', runId: 1, requestId: 5, path: 'data/logits.npy', offset: 128, length: 8_388_608 }],
};
const hostToPanel: Samples<HostToPanel> = {
  hydrate: [{ type: 'hydrate', documentUri: 'file:///a.ce.json', fileName: 'a.ce.json', state: emptyRunState(), settings: { liveUpdate: true } }],
  events: [{ type: 'events', documentUri: 'file:///a.ce.json', events: [{ kind: 'file-error', error: { message: 'm', path: [] } }], seq: 1 }],
  notice: [{ type: 'notice', level: 'error', message: 'restarted' }],
  selectCell: [{ type: 'selectCell', cellId: 'a' }],
  rowDetail: [
    { type: 'rowDetail', cellId: 'big', element: 3, detail: DETAIL },
    { type: 'rowDetail', cellId: 'big', element: 9, error: 'Element 9 is not in this cell: it has elements 0 to 3.' },
  ],
  syntax: [{ type: 'syntax', documentUri: 'file:///a.ce.json', error: { message: 'comma expected', offset: 12, line: 2, column: 3 } }],
};
const panelToHost: Samples<PanelToHost> = {
  ready: [{ type: 'ready' }],
  drawn: [{ type: 'drawn', seq: 1 }],
  edit: [{ type: 'edit', path: ['cells', 1, 'logits', 0, 0], value: 2.5, transient: true }],
  run: [{ type: 'run', cellId: 'a' }],
  stop: [{ type: 'stop' }],
  pause: [{ type: 'pause' }],
  resume: [{ type: 'resume' }],
  step: [{ type: 'step' }],
  reveal: [{ type: 'reveal', path: ['cells', 1] }],
  undo: [{ type: 'undo' }],
  redo: [{ type: 'redo' }],
  export: [{ type: 'export', format: 'png', suggestedName: 'a.png', data: 'data:image/png;base64,AAAA' }],
  copyAsPytorch: [{ type: 'copyAsPytorch', cellId: 'two' }],
  rowDetail: [{ type: 'rowDetail', cellId: 'big', element: 3 }],
  exportCell: [{ type: 'exportCell', cellId: 'two', suggestedName: 'two-probs.json' }],
};

describe('protocol', () => {
  it.each(Object.entries({ hostToWorker, workerToHost, hostToPanel, panelToHost }))('%s messages survive structured clone', (_direction, samples) => {
    const messages = Object.values(samples).flat();
    expect(structuredClone(messages)).toEqual(messages);
  });
});

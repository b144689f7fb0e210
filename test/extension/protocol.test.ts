// Every message crosses postMessage (structured clone): one message of each type,
// listed by type so that a new message type needs a sample here (a type error
// otherwise), must survive a round trip. The type-level checks: protocol.test-d.ts.
import { describe, expect, it } from 'vitest';
import type { Api, Params, Result, Wire } from '../../core/channel';
import type { HostApi, HostToPanel, PanelToHost, WorkerApi } from '../../core/protocol';
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

/** At least one sample of each request's params and result, and of each notice's params. */
type ApiSamples<A extends Api> = {
  requests: { [M in keyof A['requests']]: { params: Params<A, M>[]; results: Result<A, M>[] } };
  notices: { [M in keyof A['notices']]: A['notices'][M][] };
};

const RUN = {
  uri: 'file:///a.ce.json',
  text: '{}',
  cellId: 'a',
  progressIntervalMs: 50,
  limits: { maxElements: 10 },
  disk: { folder: '/w', root: null },
};
const worker: ApiSamples<WorkerApi> = {
  requests: {
    run: { params: [RUN], results: ['finished', 'superseded'] },
    detail: { params: [{ uri: 'file:///a.ce.json', text: '{}', cellId: 'big', element: 43210, limits: { maxElements: 10 } }], results: [DETAIL] },
    exportResults: { params: [{ uri: 'file:///a.ce.json', cellId: 'big', file: '/w/big.json' }], results: [null, new Uint8Array([0x7b, 0x7d])] },
  },
  notices: { stop: [null], pause: [{ paused: true }], step: [null], forget: [{ uri: 'file:///a.ce.json' }] },
};
const host: ApiSamples<HostApi> = {
  requests: {
    readFile: { params: [{ uri: 'file:///a.ce.json', path: 'data/x.npy', maxBytes: 1000 }], results: [new Uint8Array([0x93, 0x4e])] },
    readRange: {
      params: [{ uri: 'file:///a.ce.json', path: 'data/logits.npy', offset: 128, length: 8_388_608 }],
      results: [{ bytes: new Uint8Array([1, 2, 3]), size: 200_000_128, version: '200000128:1765100000000' }],
    },
  },
  notices: {
    events: [
      {
        uri: 'file:///a.ce.json',
        events: [
          { kind: 'cell-started', index: 0, id: 'a' },
          { kind: 'done', cancelled: false },
        ],
      },
    ],
    syntax: [{ uri: 'file:///a.ce.json', error: { message: 'comma expected', offset: 12, line: 2, column: 3 } }],
  },
};
/** Every message of an API's samples as it crosses the wire. */
const wires = (samples: ApiSamples<Api>): Wire[] => [
  ...Object.entries(samples.requests).flatMap(([method, { params, results }]) => [
    ...params.map((p, id): Wire => ({ kind: 'request', id, method, params: p })),
    ...results.map((result, id): Wire => ({ kind: 'reply', id, result })),
    { kind: 'reply' as const, id: 9, error: 'Element 9 is not in this cell: it has elements 0 to 3.' },
  ]),
  ...Object.entries(samples.notices).flatMap(([method, params]) => (params as unknown[]).map((p): Wire => ({ kind: 'notice', method, params: p }))),
];
const hostToWorker = wires(worker as unknown as ApiSamples<Api>);
const workerToHost = wires(host as unknown as ApiSamples<Api>);
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
    const messages = Array.isArray(samples) ? samples : Object.values(samples).flat();
    expect(structuredClone(messages)).toEqual(messages);
  });
});

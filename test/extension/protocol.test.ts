// Every message crosses postMessage (structured clone): a sample of each request's
// params and result and of each notice, listed by method so that a new method needs
// a sample here (a type error otherwise), must survive a round trip. The type-level checks: protocol.test-d.ts.
import { describe, expect, it } from 'vitest';
import type { Api, Params, Result, Wire } from '../../core/channel';
import type { HostApi, PanelApi, PanelHostApi, WorkerApi } from '../../core/protocol';
import type { RowDetail, RowsPage } from '../../core/results';
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

const PAGE: RowsPage = {
  total: 50_000,
  from: 100,
  rows: [{ element: 100, target: 3, targetName: 'cat', top_class: 5, topName: 'dog', loss: 2.5, p_target: 0.08, rank: 4, entropy: 1.9 }],
};

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
    rows: { params: [{ uri: 'file:///a.ce.json', cellId: 'big', from: 100, count: 50 }], results: [PAGE] },
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
const panel: ApiSamples<PanelApi> = {
  requests: {
    draw: { params: [{ documentUri: 'file:///a.ce.json', events: [{ kind: 'file-error', error: { message: 'm', path: [] } }] }], results: [null] },
    focus: { params: [{}], results: [true, false] },
  },
  notices: {
    hydrate: [{ documentUri: 'file:///a.ce.json', fileName: 'a.ce.json', state: emptyRunState(), settings: { liveUpdate: true } }],
    notice: [{ level: 'error', message: 'restarted' }],
    selectCell: [{ cellId: 'a' }],
    syntax: [{ documentUri: 'file:///a.ce.json', error: { message: 'comma expected', offset: 12, line: 2, column: 3 } }],
  },
};
const panelHost: ApiSamples<PanelHostApi> = {
  requests: {
    rowDetail: { params: [{ cellId: 'big', element: 3 }], results: [DETAIL] },
    rows: { params: [{ cellId: 'big', from: 100, count: 50 }], results: [PAGE] },
  },
  notices: {
    ready: [{}],
    edit: [{ path: ['cells', 1, 'logits', 0, 0], value: 2.5, transient: true }],
    run: [{ cellId: 'a' }, {}],
    stop: [{}],
    pause: [{}],
    resume: [{}],
    step: [{}],
    reveal: [{ path: ['cells', 1] }],
    undo: [{}],
    redo: [{}],
    export: [{ format: 'png', suggestedName: 'a.png', data: 'data:image/png;base64,AAAA' }],
    copyAsPytorch: [{ cellId: 'two' }],
    exportCell: [{ cellId: 'two', suggestedName: 'two-probs.json' }],
  },
};
const hostToPanel = wires(panel as unknown as ApiSamples<Api>);
const panelToHost = wires(panelHost as unknown as ApiSamples<Api>);

describe('protocol', () => {
  it.each(Object.entries({ hostToWorker, workerToHost, hostToPanel, panelToHost }))('%s messages survive structured clone', (_direction, samples) => {
    const messages = samples;
    // Strict: a class instance or a Map would come back as a plain object, a function would throw.
    expect(structuredClone(messages)).toStrictEqual(messages);
  });
});

// The engine worker (a Node worker thread on desktop, a Web Worker on the web):
// runs scenarios off the extension host's event loop, as its Scheduler decides,
// and answers the host over one request/reply channel. It keeps each
// document's whole results; the host is sent the panel's bounded view of them.
import { Channel } from '../../core/channel';
import { cliCell, toCliDocument } from '../../core/cliDocument';
import { evaluateScenario } from '../../core/evaluate';
import type { EngineEvent } from '../../core/events';
import type { RangeFileOpener } from '../../core/files/rangeFile';
import { jsonBytes } from '../../core/jsonText';
import type { StreamHelper } from '../../core/calibration/calibrationHelper';
import type { LossResult } from '../../core/results';
import { rowPage } from '../../core/scenario/rowPage';
import { panelEvent } from '../../core/panelResults';
import type { DiskFolder, HostApi, WorkerApi } from '../../core/protocol';
import { Coalescer } from '../coalescer';
import { jsonSyntaxError } from '../jsonSyntax';
import { Doorbell } from './doorbell';
import { HostFiles } from './hostFiles';
import { Scheduler, type EngineRun } from './scheduler';
import { diskFiles, onHostMessage, send, sharedDoorbell, startedAsHelper, writeFileBytes, yieldToMessages } from './workerPort';

/** The worker's own batching of a document's events; the host paces them again for the panel. */
const BATCH_MS = 16;
/** Longest stretch of engine work before the worker lets its messages in, when no doorbell says one waits. */
const YIELD_MS = 10;

const shared = sharedDoorbell();
/** Read synchronously: a Stop or a newer text is let in at the next step, whatever the event loop is doing. */
const doorbell = shared ? new Doorbell(shared) : null;

let lastYield = Date.now();
/** Gives the message queue a turn when a message waits, or now and then; the engine itself never awaits I/O. */
async function yieldIfDue(): Promise<void> {
  if (!doorbell?.ringing && Date.now() - lastYield < YIELD_MS) return;
  await yieldToMessages();
  lastYield = Date.now();
}

const channel: Channel<WorkerApi, HostApi> = new Channel<WorkerApi, HostApi>(send, {
  requests: {
    run: (request) => {
      const syntax = jsonSyntaxError(request.text);
      if (!syntax) return scheduler.run(request);
      channel.notify('syntax', { uri: request.uri, error: syntax });
      return 'finished';
    },
    detail,
    exportResults,
    rows: ({ uri, cellId, from, count }) => rowPage(keptLossResult(uri, cellId), from, count),
  },
  notices: {
    stop: () => scheduler.stop(),
    pause: ({ paused }) => scheduler.setPaused(paused),
    step: () => scheduler.step(),
    forget: ({ uri }) => scheduler.forget(uri),
  },
});
const files = new HostFiles(channel);

/** A document's events, batched; a run's end goes at once, so its reply never overtakes them. */
const batches = new Map<string, Coalescer<EngineEvent>>();
function emit(uri: string, events: EngineEvent[]): void {
  let batch = batches.get(uri);
  if (!batch) {
    // Not leading: a run over within BATCH_MS (most live edits) reaches the host as one message, and the panel draws once.
    batch = new Coalescer<EngineEvent>(BATCH_MS, (batched) => channel.notify('events', { uri, events: batched.map(panelEvent) }), undefined, false);
    batches.set(uri, batch);
  }
  batch.push(...events);
  if (events.some((e) => e.kind === 'done')) batch.flush();
}

const scheduler = new Scheduler({ evaluate, emit });

/** Where a document's streamed files are read: from disk here when the host says where (desktop), else through the host. */
function streamingOf(request: { uri: string; disk?: DiskFolder }): { openFile: RangeFileOpener; passHelper?: StreamHelper } {
  return (request.disk && diskFiles(request.disk)) || { openFile: files.opener(request.uri) };
}

async function* evaluate({ request, skipCellIds, signal, gate }: EngineRun): AsyncIterable<EngineEvent> {
  const events = evaluateScenario(request.text, {
    signal,
    cellId: request.cellId,
    skipCellIds,
    progressIntervalMs: request.progressIntervalMs,
    limits: request.limits,
    loadNpy: files.loader(request.uri),
    ...streamingOf(request),
    provisionalStreamedResults: true,
    beforeStep: async () => {
      await gate.beforeStep();
      await yieldIfDue();
    },
  });
  for await (const event of events) {
    yield event;
    await yieldIfDue();
  }
}

/** One element of a loss cell, alongside whatever runs (a streamed cell's kept pass answers it without reading its file). */
async function detail(request: Parameters<WorkerApi['requests']['detail']>[0]) {
  const events = evaluateScenario(request.text, {
    cellId: request.cellId,
    detail: request.element,
    limits: request.limits,
    loadNpy: files.loader(request.uri),
    ...streamingOf(request),
  });
  for await (const event of events) {
    if (event.kind === 'cell-detail') return event.detail;
    if (event.kind === 'cell-failed') throw new Error(event.result.error.message);
    if (event.kind === 'file-error') throw new Error(event.error.message);
  }
  throw new Error(`no loss cell ${JSON.stringify(request.cellId)}`);
}

/** The kept result of loss cell `cellId` of document `uri`. */
function keptLossResult(uri: string, cellId: string): LossResult {
  const result = scheduler.state(uri)?.cells.find((c) => c.header.id === cellId)?.result;
  if (!result?.ok || result.type !== 'loss') throw new Error(`No result for loss cell ${JSON.stringify(cellId)}; run it first.`);
  return result;
}

/** A document's kept results as `ce-lab run --json` writes them, or one cell's. */
async function exportResults({ uri, cellId, file }: Parameters<WorkerApi['requests']['exportResults']>[0]) {
  const state = scheduler.state(uri);
  if (!state?.finished) throw new Error('The scenario has no finished results yet; run it first.');
  let value: unknown = toCliDocument(state);
  if (cellId !== undefined) {
    const result = state.cells.find((c) => c.header.id === cellId)?.result;
    if (!result) throw new Error(`No result for cell ${JSON.stringify(cellId)} to export; run it first.`);
    value = cliCell(result);
  }
  const bytes = jsonBytes(value, 2);
  return file !== undefined && (await writeFileBytes(file, bytes)) ? null : bytes;
}

// A helper thread (a large file's second core, node/streamHelper.ts) runs this bundle too, as a helper only.
if (!startedAsHelper()) {
  onHostMessage((wire) => {
    doorbell?.answered();
    channel.receive(wire);
  });
}

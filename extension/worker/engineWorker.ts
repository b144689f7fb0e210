// The engine worker (a Node worker thread on desktop, a Web Worker on the web):
// runs evaluateScenario off the extension host's event loop, one run at a time,
// and streams its events back in batches.
import { assertNever } from '../../core/assertNever';
import { evaluateScenario } from '../../core/evaluate';
import type { EngineEvent } from '../../core/events';
import type { RangeFileOpener } from '../../core/files/rangeFile';
import type { PassHelper } from '../../core/nn/streamedPass';
import type { DiskFolder, EvaluateRequest, HostToWorker } from '../../core/protocol';
import { Coalescer } from '../coalescer';
import { jsonSyntaxError } from '../jsonSyntax';
import { CancelFlags } from './cancelFlags';
import { HostFiles } from './hostFiles';
import { RunGate } from './runGate';
import { diskFiles, onHostMessage, send, sharedCancelFlags, startedAsHelper, yieldToMessages } from './workerPort';
import { messageOf } from '../../core/errorMessage';

const files = new HostFiles(send);
const shared = sharedCancelFlags();
/** Read synchronously: a Stop or a newer run is seen at the next step, whatever the event loop is doing. */
const flags = shared ? new CancelFlags(shared) : null;

/** The worker's own batching; the host coalesces again for the panel. */
const BATCH_MS = 16;
/** Longest stretch of engine work before the worker lets cancel/pause messages in. */
const YIELD_MS = 10;

interface ActiveRun {
  runId: number;
  controller: AbortController;
  gate: RunGate;
}
/** The run in flight (runs go one after another)… */
let active: ActiveRun | null = null;
/** …and the runs beside it (the other cells of a document whose training goes on in `active`). */
const beside = new Map<number, ActiveRun>();

/** Where a run's streamed files are read: from disk here when the host says where (desktop), else through the host. */
function streamingOf(request: { runId: number; disk?: DiskFolder }): { openFile: RangeFileOpener; passHelper?: PassHelper } {
  return (request.disk && diskFiles(request.disk)) || { openFile: files.opener(request.runId) };
}

let lastYield = Date.now();
/** Gives the message queue a turn now and then; the engine itself never awaits I/O. */
async function yieldIfDue(): Promise<void> {
  if (Date.now() - lastYield < YIELD_MS) return;
  await yieldToMessages();
  lastYield = Date.now();
}

async function run(request: EvaluateRequest): Promise<void> {
  const syntax = jsonSyntaxError(request.text);
  if (syntax) {
    send({ type: 'syntax-error', runId: request.runId, error: syntax });
    send({ type: 'finished', runId: request.runId });
    return;
  }
  const controller = new AbortController();
  const gate = new RunGate(controller.signal);
  const self: ActiveRun = { runId: request.runId, controller, gate };
  if (request.beside) beside.set(request.runId, self);
  else active = self;
  const checkFlags = () => {
    if (flags?.isCancelled(request.runId)) controller.abort();
  };
  // Not leading: a run over within BATCH_MS (most live edits) reaches the host as one message, and the panel draws once.
  const batch = new Coalescer<EngineEvent>(BATCH_MS, (events) => send({ type: 'events', runId: request.runId, events }), undefined, false);
  try {
    const events = evaluateScenario(request.text, {
      signal: controller.signal,
      cellId: request.cellId,
      skipCellIds: request.skipCellIds,
      progressIntervalMs: request.progressIntervalMs,
      limits: request.limits,
      loadNpy: files.loader(request.runId),
      ...streamingOf(request),
      beforeStep: async () => {
        checkFlags();
        await gate.beforeStep();
        await yieldIfDue();
      },
    });
    for await (const event of events) {
      batch.push(event);
      checkFlags();
      await yieldIfDue();
    }
    batch.flush();
    send({ type: 'finished', runId: request.runId });
  } catch (err) {
    batch.flush();
    send({ type: 'error', runId: request.runId, message: messageOf(err) });
  } finally {
    if (active === self) active = null;
    beside.delete(request.runId);
  }
}

/** One element of a loss cell, alongside whatever runs (a streamed cell's kept pass answers it without reading its file). */
async function detail(request: Extract<HostToWorker, { type: 'detail' }>): Promise<void> {
  const { runId } = request;
  try {
    const events = evaluateScenario(request.text, {
      cellId: request.cellId,
      detail: request.element,
      limits: request.limits,
      loadNpy: files.loader(runId),
      ...streamingOf(request),
    });
    for await (const event of events) {
      if (event.kind === 'cell-detail') return send({ type: 'detail', runId, detail: event.detail });
      if (event.kind === 'cell-failed') return send({ type: 'detail', runId, error: event.result.error.message });
      if (event.kind === 'file-error') return send({ type: 'detail', runId, error: event.error.message });
    }
    send({ type: 'detail', runId, error: `no loss cell ${JSON.stringify(request.cellId)}` });
  } catch (err) {
    send({ type: 'detail', runId, error: messageOf(err) });
  }
}

/** Runs go one after another: a new request aborts the one in flight, which ends first. */
let queue: Promise<void> = Promise.resolve();
let latest = -1;
/** Queued runs cancelled before they started. */
const cancelledQueued = new Set<number>();

/** Only the newest request runs; those it superseded while queued just report that they ended. */
async function runOrSkip(request: EvaluateRequest): Promise<void> {
  if (request.runId === latest && !cancelledQueued.delete(request.runId)) return run(request);
  send({ type: 'events', runId: request.runId, events: [{ kind: 'done', cancelled: true }] });
  send({ type: 'finished', runId: request.runId });
}

// A helper thread (a large file's second core, node/streamHelper.ts) runs this bundle too, as a helper only.
if (!startedAsHelper()) {
  onHostMessage((message) => {
    switch (message.type) {
      case 'evaluate':
        // Interleaves with the run in flight: the engine yields between training steps.
        if (message.beside) {
          void run(message);
          break;
        }
        latest = message.runId;
        active?.controller.abort();
        for (const run of beside.values()) run.controller.abort();
        queue = queue.then(() => runOrSkip(message));
        break;
      case 'cancel':
        if (active?.runId === message.runId) active.controller.abort();
        else if (beside.has(message.runId)) beside.get(message.runId)?.controller.abort();
        else if (message.runId === latest) cancelledQueued.add(message.runId);
        break;
      case 'pause':
        if (active?.runId === message.runId) active.gate.setPaused(message.paused);
        break;
      case 'step':
        if (active?.runId === message.runId) active.gate.step();
        break;
      case 'detail':
        void detail(message);
        break;
      case 'file':
      case 'range':
        files.answer(message);
        break;
      default:
        assertNever(message, 'host message');
    }
  });
  send({ type: 'ready' });
}

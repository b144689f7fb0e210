import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../core/events';
import type { HostToWorker } from '../../core/protocol';
import { EngineClient, type RunOutcome, type WorkerListeners } from '../../extension/engineClient';

/** A fake worker_threads Worker: records what the host posts, lets the test answer. */
class FakeWorkers {
  spawned: { posted: HostToWorker[]; listeners: WorkerListeners; terminated: boolean }[] = [];
  spawn = (listeners: WorkerListeners) => {
    const w = { posted: [] as HostToWorker[], listeners, terminated: false };
    this.spawned.push(w);
    return { post: (m: HostToWorker) => w.posted.push(m), terminate: () => void (w.terminated = true) };
  };
  get last() {
    return this.spawned[this.spawned.length - 1];
  }
}

/** Records a run's events and outcome; its files are the `files` map (a missing one rejects). */
function recorder(files: Record<string, Uint8Array> = {}) {
  const events: EngineEvent[] = [];
  const outcomes: RunOutcome[] = [];
  const readFile = async (p: string) => files[p] ?? Promise.reject(new Error(`no file at "${p}"`));
  return { events, outcomes, callbacks: { events: (e: EngineEvent[]) => events.push(...e), end: (o: RunOutcome) => outcomes.push(o), readFile } };
}
const request = { text: '{}' };
const done: EngineEvent = { kind: 'done', cancelled: false };

describe('EngineClient', () => {
  let workers: FakeWorkers;
  let client: EngineClient;
  beforeEach(() => {
    vi.useFakeTimers();
    workers = new FakeWorkers();
    client = new EngineClient({ spawn: workers.spawn, runTimeoutMs: () => 5000, stopGraceMs: 1000 });
  });
  afterEach(() => vi.useRealTimers());

  it("starts the worker on first use only, and delivers a run's events", () => {
    expect(workers.spawned).toHaveLength(0);
    const r = recorder();
    const runId = client.evaluate(request, r.callbacks);
    expect(workers.spawned).toHaveLength(1);
    expect(workers.last.posted).toEqual([{ type: 'evaluate', runId, ...request }]);
    workers.last.listeners.message({ type: 'events', runId, events: [done] });
    workers.last.listeners.message({ type: 'finished', runId });
    expect(r.events).toEqual([done]);
    expect(r.outcomes).toEqual([{ kind: 'finished' }]);
    client.evaluate(request, recorder().callbacks);
    expect(workers.spawned).toHaveLength(1);
  });

  it('a newer run supersedes the one in flight: cancel is sent and its late events are dropped', () => {
    const first = recorder();
    const second = recorder();
    const a = client.evaluate(request, first.callbacks);
    const b = client.evaluate(request, second.callbacks);
    expect(first.outcomes).toEqual([{ kind: 'superseded' }]);
    expect(workers.last.posted.map((m) => m.type)).toEqual(['evaluate', 'cancel', 'evaluate']);
    expect(workers.last.posted[1]).toEqual({ type: 'cancel', runId: a });
    workers.last.listeners.message({ type: 'events', runId: a, events: [{ kind: 'done', cancelled: true }] });
    workers.last.listeners.message({ type: 'finished', runId: a });
    workers.last.listeners.message({ type: 'events', runId: b, events: [done] });
    expect(first.events).toEqual([]);
    expect(second.events).toEqual([done]);
    expect(second.outcomes).toEqual([]);
  });

  it('Stop lets the engine report its own cancelled done', () => {
    const r = recorder();
    const runId = client.evaluate(request, r.callbacks);
    client.cancel();
    expect(workers.last.posted[1]).toEqual({ type: 'cancel', runId });
    workers.last.listeners.message({ type: 'events', runId, events: [{ kind: 'done', cancelled: true }] });
    workers.last.listeners.message({ type: 'finished', runId });
    expect(r.outcomes).toEqual([{ kind: 'finished' }]);
    vi.advanceTimersByTime(10_000);
    expect(workers.last.terminated).toBe(false);
  });

  it('Stop kills a worker that does not wind down in time', () => {
    const r = recorder();
    client.evaluate(request, r.callbacks);
    client.cancel();
    vi.advanceTimersByTime(1000);
    expect(workers.spawned[0].terminated).toBe(true);
    expect(r.outcomes[0]).toMatchObject({ kind: 'failed', message: expect.stringMatching(/did not stop/) });
    client.evaluate(request, recorder().callbacks);
    expect(workers.spawned).toHaveLength(2);
  });

  it('a crashed worker ends the run with a message and the next run gets a fresh worker', () => {
    const r = recorder();
    client.evaluate(request, r.callbacks);
    workers.last.listeners.died('exit code 1');
    expect(r.outcomes).toEqual([{ kind: 'failed', message: expect.stringMatching(/crashed \(exit code 1\)/) }]);
    const next = recorder();
    const runId = client.evaluate(request, next.callbacks);
    expect(workers.spawned).toHaveLength(2);
    workers.last.listeners.message({ type: 'events', runId, events: [done] });
    workers.last.listeners.message({ type: 'finished', runId });
    expect(next.outcomes).toEqual([{ kind: 'finished' }]);
    // The dead worker's exit after its error is not a second crash.
    workers.spawned[0].listeners.died('exit code 1');
    expect(next.outcomes).toHaveLength(1);
  });

  it('killWorker (debug) behaves as a crash', () => {
    const r = recorder();
    client.evaluate(request, r.callbacks);
    client.killWorker();
    expect(workers.spawned[0].terminated).toBe(true);
    expect(r.outcomes[0]).toMatchObject({ kind: 'failed', message: expect.stringMatching(/killed on request/) });
  });

  it('a hung worker (silent for runTimeoutMs) is replaced; events keep the watchdog quiet; pausing suspends it', () => {
    const r = recorder();
    const runId = client.evaluate(request, r.callbacks);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(4000);
      workers.last.listeners.message({ type: 'events', runId, events: [] });
    }
    client.setPaused(true);
    vi.advanceTimersByTime(60_000);
    expect(r.outcomes).toEqual([]);
    client.setPaused(false);
    vi.advanceTimersByTime(5000);
    expect(r.outcomes[0]).toMatchObject({ kind: 'failed', message: expect.stringMatching(/sent nothing for 5 s/) });
    expect(workers.spawned[0].terminated).toBe(true);
  });

  it('an engine exception ends the run as failed without killing the worker', () => {
    const r = recorder();
    const runId = client.evaluate(request, r.callbacks);
    workers.last.listeners.message({ type: 'error', runId, message: 'boom' });
    expect(r.outcomes).toEqual([{ kind: 'failed', message: 'The engine failed: boom' }]);
    expect(workers.last.terminated).toBe(false);
  });

  it('pause / step go to the run in flight', () => {
    const runId = client.evaluate(request, recorder().callbacks);
    client.setPaused(true);
    client.step();
    client.setPaused(false);
    expect(workers.last.posted.slice(1)).toEqual([
      { type: 'pause', runId, paused: true },
      { type: 'step', runId },
      { type: 'pause', runId, paused: false },
    ]);
  });

  it("answers the worker's file requests for the run in flight, and refuses a superseded run's", async () => {
    vi.useRealTimers();
    const bytes = new Uint8Array([1, 2, 3]);
    const first = client.evaluate(request, recorder({ 'a.npy': bytes }).callbacks);
    const worker = workers.last;
    worker.listeners.message({ type: 'readFile', runId: first, requestId: 1, path: 'a.npy', maxBytes: 1000 });
    worker.listeners.message({ type: 'readFile', runId: first, requestId: 2, path: 'missing.npy', maxBytes: 1000 });
    await vi.waitFor(() => expect(worker.posted.filter((m) => m.type === 'file')).toHaveLength(2));
    expect(worker.posted.filter((m) => m.type === 'file')).toEqual([
      { type: 'file', requestId: 1, bytes },
      { type: 'file', requestId: 2, error: 'no file at "missing.npy"' },
    ]);
    client.evaluate(request, recorder({ 'a.npy': bytes }).callbacks);
    worker.listeners.message({ type: 'readFile', runId: first, requestId: 3, path: 'a.npy', maxBytes: 1000 });
    await vi.waitFor(() => expect(worker.posted.at(-1)).toEqual({ type: 'file', requestId: 3, error: 'the run was superseded' }));
  });
});

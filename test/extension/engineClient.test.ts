// The host's side of the engine worker, over a fake worker the test answers as the
// real one would (channel wires): requests and replies, Stop, crashes and hangs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelClosedError, type Wire } from '../../core/channel';
import type { PanelEvent } from '../../core/events';
import type { RunEnd } from '../../core/protocol';
import { EngineClient, type EngineHost, type WorkerListeners } from '../../extension/engineClient';

/** A fake worker_threads Worker: records what the host posts, lets the test answer. */
class FakeWorkers {
  spawned: { posted: Wire[]; listeners: WorkerListeners; terminated: boolean }[] = [];
  spawn = (listeners: WorkerListeners) => {
    const w = { posted: [] as Wire[], listeners, terminated: false };
    this.spawned.push(w);
    return { post: (m: Wire) => w.posted.push(m), terminate: () => void (w.terminated = true) };
  };
  get last() {
    return this.spawned[this.spawned.length - 1];
  }
  /** The requests the host made of the last worker. */
  requests() {
    return this.last.posted.flatMap((w) => (w.kind === 'request' ? [w] : []));
  }
  notices() {
    return this.last.posted.flatMap((w) => (w.kind === 'notice' ? [{ method: w.method, params: w.params }] : []));
  }
  reply(id: number, result: unknown) {
    this.last.listeners.message({ kind: 'reply', id, result });
  }
}

/** A host that records what the worker sends; its files are the `files` map (a missing one rejects). */
function recordingHost(files: Record<string, Uint8Array> = {}) {
  const events: { uri: string; events: PanelEvent[] }[] = [];
  const lost: { message: string; stopped: boolean }[] = [];
  const host: EngineHost = {
    events: (uri, e) => events.push({ uri, events: e }),
    syntax: () => undefined,
    readFile: async (_uri, p) => files[p] ?? Promise.reject(new Error(`no file at "${p}"`)),
    lost: (message, stopped) => lost.push({ message, stopped }),
  };
  return { host, events, lost };
}
const request = { uri: 'file:///a.ce.json', text: '{}' };
const done: PanelEvent = { kind: 'done', cancelled: false };

describe('EngineClient', () => {
  let workers: FakeWorkers;
  let client: EngineClient;
  let recorded: ReturnType<typeof recordingHost>;
  beforeEach(() => {
    vi.useFakeTimers();
    workers = new FakeWorkers();
    client = new EngineClient({ spawn: workers.spawn, runTimeoutMs: () => 5000, stopGraceMs: 1000, limits: () => ({ maxElements: 7 }) });
    recorded = recordingHost({ 'a.npy': new Uint8Array([1, 2, 3]) });
    client.connect(recorded.host);
  });
  afterEach(() => vi.useRealTimers());

  it('starts the worker on first use only; a run is one request, answered when the worker says; events arrive as notices', async () => {
    expect(workers.spawned).toHaveLength(0);
    const run = client.run(request);
    expect(workers.spawned).toHaveLength(1);
    expect(workers.requests()).toEqual([{ kind: 'request', id: 1, method: 'run', params: { ...request, limits: { maxElements: 7 } } }]);
    expect(client.running).toBe(true);
    workers.last.listeners.message({ kind: 'notice', method: 'events', params: { uri: request.uri, events: [done] } });
    workers.reply(1, 'finished' satisfies RunEnd);
    expect(await run).toBe('finished');
    expect(recorded.events).toEqual([{ uri: request.uri, events: [done] }]);
    expect(client.running).toBe(false);
    void client.run(request);
    expect(workers.spawned).toHaveLength(1);
  });

  it("answers the worker's file requests, with the error when a file cannot be read", async () => {
    vi.useRealTimers();
    void client.run(request);
    const worker = workers.last;
    worker.listeners.message({ kind: 'request', id: 1, method: 'readFile', params: { uri: request.uri, path: 'a.npy', maxBytes: 1000 } });
    worker.listeners.message({ kind: 'request', id: 2, method: 'readFile', params: { uri: request.uri, path: 'missing.npy', maxBytes: 1000 } });
    worker.listeners.message({ kind: 'request', id: 3, method: 'readRange', params: { uri: request.uri, path: 'a.npy', offset: 0, length: 1 } });
    await vi.waitFor(() => expect(worker.posted.filter((m) => m.kind === 'reply')).toHaveLength(3));
    // Each reply carries its request's id; they go out as each answer is ready.
    const replies = worker.posted.filter((m) => m.kind === 'reply').sort((a, b) => a.id - b.id);
    expect(replies).toEqual([
      { kind: 'reply', id: 1, result: new Uint8Array([1, 2, 3]) },
      { kind: 'reply', id: 2, error: 'no file at "missing.npy"' },
      { kind: 'reply', id: 3, error: 'this window cannot stream files' },
    ]);
  });

  it('Stop is a notice; a run that ends in time keeps its worker', async () => {
    const run = client.run(request);
    client.stop();
    expect(workers.notices()).toEqual([{ method: 'stop', params: null }]);
    workers.reply(1, 'finished');
    await run;
    vi.advanceTimersByTime(10_000);
    expect(workers.last.terminated).toBe(false);
    expect(recorded.lost).toEqual([]);
  });

  it('Stop replaces a worker that does not wind down in time: its runs are over, stopped, and the next run gets a fresh one', async () => {
    const run = client.run(request);
    client.stop();
    vi.advanceTimersByTime(1000);
    expect(workers.spawned[0].terminated).toBe(true);
    await expect(run).rejects.toBeInstanceOf(ChannelClosedError);
    expect(recorded.lost).toEqual([{ message: expect.stringMatching(/did not stop in time/), stopped: true }]);
    void client.run(request);
    expect(workers.spawned).toHaveLength(2);
  });

  it('a crashed worker fails its runs with a message, once, and the next run gets a fresh worker', async () => {
    const run = client.run(request);
    workers.last.listeners.died('exit code 1');
    await expect(run).rejects.toThrow(/crashed \(exit code 1\)/);
    expect(recorded.lost).toEqual([{ message: expect.stringMatching(/crashed \(exit code 1\)/), stopped: false }]);
    const next = client.run(request);
    expect(workers.spawned).toHaveLength(2);
    workers.reply(1, 'finished');
    expect(await next).toBe('finished');
    // The dead worker's exit after its error is not a second crash.
    workers.spawned[0].listeners.died('exit code 1');
    expect(recorded.lost).toHaveLength(1);
  });

  it('killWorker (debug) behaves as a crash', async () => {
    const run = client.run(request);
    client.killWorker();
    expect(workers.spawned[0].terminated).toBe(true);
    await expect(run).rejects.toThrow(/killed on request/);
  });

  it('a hung worker (silent for runTimeoutMs) is replaced; messages keep the watchdog quiet; pausing suspends it', async () => {
    const run = client.run(request);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(4000);
      workers.last.listeners.message({ kind: 'notice', method: 'events', params: { uri: request.uri, events: [] } });
    }
    client.setPaused(true);
    vi.advanceTimersByTime(60_000);
    expect(recorded.lost).toEqual([]);
    client.setPaused(false);
    vi.advanceTimersByTime(5000);
    expect(recorded.lost).toEqual([{ message: expect.stringMatching(/sent nothing for 5 s/), stopped: false }]);
    expect(workers.spawned[0].terminated).toBe(true);
    await expect(run).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it("an engine exception fails the run with the worker's message, without killing the worker", async () => {
    const run = client.run(request);
    workers.last.listeners.message({ kind: 'reply', id: 1, error: 'boom' });
    await expect(run).rejects.toThrow('boom');
    expect(workers.last.terminated).toBe(false);
  });

  it('pause, step and forget are notices', () => {
    void client.run(request);
    client.setPaused(true);
    client.step();
    client.setPaused(false);
    client.forget(request.uri);
    expect(workers.notices()).toEqual([
      { method: 'pause', params: { paused: true } },
      { method: 'step', params: null },
      { method: 'pause', params: { paused: false } },
      { method: 'forget', params: { uri: request.uri } },
    ]);
  });
});

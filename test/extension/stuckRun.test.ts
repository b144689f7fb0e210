// A worker thread that starts a run and then ignores Stop (as an engine stuck in one
// long kernel call would): the host replaces it once Stop's grace is over, every cell
// of that run shows "stopped" instead of "running…", the panel hears why once, and the
// next run goes to a fresh worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineClient, type SpawnWorker } from '../../extension/engineClient';
import { ScenarioRunner, type Notice } from '../../extension/runner';
import { workerSpawner } from '../../extension/worker/spawnWorker';

/** Answers a `run` with a run whose first cell starts, then nothing: no `done`, no reply, Stop ignored. */
const IGNORES_STOP = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (wire) => {
  if (wire.kind !== 'request' || wire.method !== 'run') return;
  const cells = [{ index: 0, id: 'big', type: 'loss' }, { index: 1, id: 'after', type: 'loss' }];
  parentPort.postMessage({ kind: 'notice', method: 'events', params: { uri: wire.params.uri, events: [
    { kind: 'scenario', title: 't', dtype: 'float32', cells },
    { kind: 'cell-started', index: 0, id: 'big' },
  ] } });
});
`;

describe('a worker that ignores Stop', () => {
  it('is replaced after the grace; the cells of its run show stopped, not running, and the next run gets a fresh worker', async () => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-stuck-')), 'ignoresStop.js');
    writeFileSync(script, IGNORES_STOP);
    const real = workerSpawner(script, () => 64);
    let spawned = 0;
    const spawn: SpawnWorker = (listeners) => (spawned++, real(listeners));
    const client = new EngineClient({ spawn, runTimeoutMs: () => 0, stopGraceMs: 200 });
    const runner = new ScenarioRunner(client, async () => new Uint8Array());
    const notices: Notice[] = [];
    runner.onNotice((n) => notices.push(n));
    const uri = 'file:///w/big.ce.json';
    const source = { uri, text: '{"cells": []}', folder: null, root: null };

    const ended = runner.run(source);
    await expect.poll(() => runner.state(uri)?.cells[0]?.status, { timeout: 10_000 }).toBe('running');
    runner.stop();
    const state = await ended;
    expect(state.cells.map((c) => c.status)).toEqual(['stopped', 'pending']);
    expect(state.finished).toBe(true);
    expect(runner.runningUri).toBeNull();
    expect(notices).toEqual([{ uri, level: 'error', message: 'The engine did not stop in time; its worker was restarted.' }]);

    void runner.run(source);
    await expect.poll(() => spawned, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => runner.state(uri)?.cells[0]?.status, { timeout: 10_000 }).toBe('running');
    client.dispose();
  });
});

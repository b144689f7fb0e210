// A logits file past maxElements through the real engine worker thread: the
// worker streams it in ranges the host reads (readRange), and the run gives
// the loss of the same cell held whole; a file rewritten between two ranges
// fails the cell with "changed while reading".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../core/evaluate';
import { npyBytes } from '../../core/npyWrite';
import type { PanelCellResult } from '../../core/results';
import type { EngineClient } from '../../extension/engineClient';
import { makeNpyLoader, readNamedRange } from '../../node/npyFiles';
import { workerThreadClient } from '../helpers/engineWorker';
import { EngineSession, type SessionFiles } from '../helpers/engineSession';
import { runState } from '../helpers/run';

const [N, C] = [3000, 7];
const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-streamed-'));
const logits = Array.from({ length: N * C }, (_, i) => Math.sin(i * 12.9898) * 3);
writeFileSync(path.join(dir, 'logits.npy'), npyBytes('<f4', [N, C], logits));
writeFileSync(
  path.join(dir, 'labels.npy'),
  npyBytes(
    '<i8',
    [N],
    Array.from({ length: N }, (_, n) => (n * 5) % C),
  ),
);
const SCENARIO = JSON.stringify({ cells: [{ type: 'loss', id: 'big', logits: { npy: 'logits.npy' }, target: { npy: 'labels.npy' } }] });

/** The first result of a run of the scenario, its files read through the host by `readRange`. */
async function resultOf(session: EngineSession, readRange: SessionFiles['readRange']): Promise<PanelCellResult> {
  session.files = { readFile: (p, max) => makeNpyLoader(dir, dir)(p, [], max), readRange };
  const run = session.run(SCENARIO, { limits: { maxElements: 1000 } });
  await run.ended;
  const event = run.events.find((e) => e.kind === 'cell-result' || e.kind === 'cell-failed');
  if (event?.kind !== 'cell-result' && event?.kind !== 'cell-failed') throw new Error('no result');
  return event.result;
}

describe('a streamed cell in the engine worker', () => {
  let client: EngineClient;
  let session: EngineSession;
  beforeAll(async () => {
    client = await workerThreadClient({ maxElements: 1000 }); // every run and detail here streams the file
    session = new EngineSession(client);
  });
  afterAll(() => client.dispose());

  it('reads ranges through the host and gives the loss of the cell held whole', async () => {
    const result = await resultOf(session, (p, o, l) => readNamedRange(dir, dir, p, o, l));
    const whole = (await runState(SCENARIO, { loadNpy: makeNpyLoader(dir, dir) })).cells[0].result;
    expect(result.ok && result.type === 'loss' && result.streamed !== undefined).toBe(true);
    expect(result.ok && whole?.ok && result.type === 'loss' && whole.type === 'loss' && [result.loss, whole.loss]).toEqual([
      (whole as { loss: number }).loss,
      (whole as { loss: number }).loss,
    ]);
  });

  it('reads a scenario on disk itself when the host says where (desktop): no range goes through the host', async () => {
    let ranges = 0;
    session.files = {
      readFile: (p, max) => makeNpyLoader(dir, dir)(p, [], max),
      readRange: (p, o, l) => (ranges++, readNamedRange(dir, dir, p, o, l)),
    };
    const run = session.run(SCENARIO, { disk: { folder: dir, root: dir } });
    await run.ended;
    const events = run.events;
    const result = events.find((e) => e.kind === 'cell-result');
    const whole = (await runState(SCENARIO, { loadNpy: makeNpyLoader(dir, dir) })).cells[0].result;
    expect(result?.kind === 'cell-result' && result.result.type === 'loss' && result.result.streamed?.file).toBe('logits.npy');
    expect(result?.kind === 'cell-result' && result.result.type === 'loss' && result.result.loss).toBe(
      whole?.ok && whole.type === 'loss' && whole.loss,
    );
    expect(ranges).toBe(0);
  });

  it('answers a detail request alongside runs: the element of the cell held whole, bit for bit', async () => {
    session.files = {
      readFile: (p, max) => makeNpyLoader(dir, dir)(p, [], max),
      readRange: (p, o, l) => readNamedRange(dir, dir, p, o, l),
    };
    const uri = 'file:///w/streamed.ce.json';
    const detail = await client.detail({ uri, text: SCENARIO, cellId: 'big', element: 1234 });
    let whole = null;
    for await (const event of evaluateScenario(SCENARIO, { cellId: 'big', detail: 1234, loadNpy: makeNpyLoader(dir, dir) }))
      if (event.kind === 'cell-detail') whole = event.detail;
    expect(detail).toEqual(whole); // streamed in the worker, held whole here
    expect(detail.classCount).toBe(C);
    await expect(client.detail({ uri, text: SCENARIO, cellId: 'big', element: N })).rejects.toThrow(
      `Element ${N} is not in this cell: it has elements 0 to ${N - 1}.`,
    );
  });

  it('a file whose version moves between ranges fails the cell', async () => {
    let calls = 0;
    const moving = async (p: string, o: number, l: number) => {
      const range = await readNamedRange(dir, dir, p, o, l);
      return p === 'logits.npy' && ++calls > 2 ? { ...range, version: `${range.version}+1` } : range;
    };
    const result = await resultOf(session, moving);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/logits\.npy changed while reading it/);
  });
});

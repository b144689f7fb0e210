// The real engine worker thread (bundled as the extension ships it) behind the
// EngineClient: results arrive, Stop and a newer run really cancel, Pause holds.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events';
import type { JsonSyntaxError } from '../../core/protocol';
import type { EngineClient, RunOutcome } from '../../extension/engineClient';
import { makeNpyLoader } from '../../node/npyFiles';
import { LONG_TRAINING, workerThreadClient } from '../helpers/engineWorker';

const root = path.resolve(__dirname, '..', '..');
const sorix = readFileSync(path.join(root, 'examples', 'sorix.ce.json'), 'utf8');
const examples = path.join(root, 'examples');
/** The host's side of file reading, as the desktop extension does it for a scenario in examples/. */
const readExample = (relativePath: string, maxBytes: number) => makeNpyLoader(examples, examples)(relativePath, [], maxBytes);

function run(client: EngineClient, text: string) {
  const events: EngineEvent[] = [];
  const syntax: JsonSyntaxError[] = [];
  let resolveEnd!: (o: RunOutcome) => void;
  const ended = new Promise<RunOutcome>((r) => (resolveEnd = r));
  client.evaluate(
    { text, progressIntervalMs: 20 },
    { events: (e) => events.push(...e), syntaxError: (e) => syntax.push(e), end: resolveEnd, readFile: readExample },
  );
  const steps = () => events.filter((e) => e.kind === 'train-progress').reduce((n, e) => Math.max(n, e.kind === 'train-progress' ? e.done : 0), 0);
  return { events, syntax, ended, steps };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine worker thread', () => {
  let client: EngineClient;
  beforeAll(async () => {
    client = await workerThreadClient();
  });
  afterAll(() => client.dispose());

  it('evaluates the sorix example off the main thread', async () => {
    const r = run(client, sorix);
    expect(await r.ended).toEqual({ kind: 'finished' });
    const loss = r.events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    expect(loss?.kind === 'cell-result' && loss.result.type === 'loss' && Number(loss.result.loss).toFixed(4)).toBe('0.2159');
    expect(r.events.at(-1)).toEqual({ kind: 'done', cancelled: false });
  });

  it('reads .npy files through the host: the worker asks, the host answers', async () => {
    const r = run(client, readFileSync(path.join(examples, 'npy-logits.ce.json'), 'utf8'));
    expect(await r.ended).toEqual({ kind: 'finished' });
    const loss = r.events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    // PyTorch 1.13: F.cross_entropy(torch.from_numpy(np.load('data/logits.npy')), torch.from_numpy(np.load('data/targets.npy')))
    expect(loss?.kind === 'cell-result' && loss.result.type === 'loss' && Math.abs(Number(loss.result.loss) - 0.9410219788551331)).toBeLessThan(2e-6);
  });

  // The 100 ms budget is measured end to end (test/e2e/editor.e2e.ts); here, on a loaded machine, a bound that still rules out waiting on a backlog of steps.
  it('Stop ends a long training with done {cancelled: true} promptly', async () => {
    const r = run(client, LONG_TRAINING);
    while (r.steps() < 1000) await sleep(10);
    const stopAt = performance.now();
    client.cancel();
    expect(await r.ended).toEqual({ kind: 'finished' });
    const answeredMs = performance.now() - stopAt;
    expect(r.events.at(-1)).toEqual({ kind: 'done', cancelled: true });
    expect(answeredMs).toBeLessThan(250);
  });

  it('text that is not JSON runs nothing and says where it breaks', async () => {
    const broken = sorix.replace('"dtype": "float32",', '"dtype": "float32"');
    const r = run(client, broken);
    expect(await r.ended).toEqual({ kind: 'finished' });
    expect(r.events).toEqual([]);
    const lines = broken.slice(0, broken.indexOf('"cells"')).split('\n');
    expect(r.syntax).toEqual([
      { message: 'comma expected', offset: broken.indexOf('"cells"'), line: lines.length, column: lines.at(-1)!.length + 1 },
    ]);
  });

  it('a newer run supersedes a long training, and Pause / Step hold the new one', async () => {
    const first = run(client, LONG_TRAINING);
    while (first.steps() === 0) await sleep(10);
    const second = run(client, LONG_TRAINING);
    expect(await first.ended).toEqual({ kind: 'superseded' });
    while (second.steps() === 0) await sleep(10);
    client.setPaused(true);
    await sleep(100);
    const held = second.steps();
    await sleep(200);
    expect(second.steps()).toBe(held);
    // One Step lets one step through (progress reports may catch up with steps done before the pause), then it holds again.
    client.step();
    await sleep(200);
    const afterStep = second.steps();
    await sleep(200);
    expect(second.steps()).toBe(afterStep);
    client.cancel();
    expect(await second.ended).toEqual({ kind: 'finished' });
  });
});

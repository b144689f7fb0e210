// The real engine worker thread (bundled as the extension ships it) behind the
// EngineClient: results arrive, Stop and a newer run really cancel, Pause holds.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../extension/engineClient';
import { makeNpyLoader } from '../../node/npyFiles';
import { LONG_TRAINING, workerThreadClient } from '../helpers/engineWorker';
import { EngineSession } from '../helpers/engineSession';

const root = path.resolve(__dirname, '..', '..');
const sorix = readFileSync(path.join(root, 'examples', 'sorix.ce.json'), 'utf8');
const examples = path.join(root, 'examples');
/** The host's side of file reading, as the desktop extension does it for a scenario in examples/. */
const readFile = (relativePath: string, maxBytes: number) => makeNpyLoader(examples, examples)(relativePath, [], maxBytes);

describe('engine worker thread', () => {
  let client: EngineClient;
  let session: EngineSession;
  beforeAll(async () => {
    client = await workerThreadClient();
    session = new EngineSession(client);
    session.files = { readFile };
  });
  afterAll(() => client.dispose());
  const run = (text: string) => session.run(text);

  it('evaluates the sorix example off the main thread', async () => {
    const r = run(sorix);
    expect(await r.ended).toBe('finished');
    const loss = r.events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    expect(loss?.kind === 'cell-result' && loss.result.type === 'loss' && Number(loss.result.loss).toFixed(4)).toBe('0.2159');
    expect(r.events.at(-1)).toEqual({ kind: 'done', cancelled: false });
  });

  it('reads .npy files through the host: the worker asks, the host answers', async () => {
    const r = run(readFileSync(path.join(examples, 'npy-logits.ce.json'), 'utf8'));
    expect(await r.ended).toBe('finished');
    const loss = r.events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    // PyTorch 1.13: F.cross_entropy(torch.from_numpy(np.load('data/logits.npy')), torch.from_numpy(np.load('data/targets.npy')))
    expect(loss?.kind === 'cell-result' && loss.result.type === 'loss' && Math.abs(Number(loss.result.loss) - 0.9410219788551331)).toBeLessThan(2e-6);
  });

  it('keeps the N×C tensors in the worker: the host gets the bounded view, an export gets the tensors', async () => {
    const r = run(sorix);
    await r.ended;
    const loss = r.events.find((e) => e.kind === 'cell-result' && e.result.type === 'loss');
    expect(loss?.kind === 'cell-result' && 'probs' in loss.result).toBe(false);
    const exported = JSON.parse(new TextDecoder().decode((await client.exportResults({ uri: r.uri }))!));
    const cell = exported.cells.find((c: { id: string }) => c.id === 'two-samples');
    // softmax of the example's logits, computed here.
    const softmax = (row: number[]) => row.map((z) => Math.exp(z) / row.reduce((sum, v) => sum + Math.exp(v), 0));
    const expected = [softmax([2.0, 1.0, 0.1]), softmax([0.0, 5.0, 0.2])].flat();
    (cell.probs as number[][]).flat().forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(1e-6));
  });

  it('Stop ends a long training with done {cancelled: true}', async () => {
    const r = run(LONG_TRAINING);
    await expect.poll(() => r.steps(), { timeout: 10_000 }).toBeGreaterThan(1000);
    client.stop();
    expect(await r.ended).toBe('finished');
    expect(r.events.at(-1)).toEqual({ kind: 'done', cancelled: true });
  });

  it('text that is not JSON runs nothing and says where it breaks', async () => {
    const broken = sorix.replace('"dtype": "float32",', '"dtype": "float32"');
    session.syntax.length = 0;
    const r = run(broken);
    expect(await r.ended).toBe('finished');
    expect(r.events).toEqual([]);
    const lines = broken.slice(0, broken.indexOf('"cells"')).split('\n');
    expect(session.syntax).toEqual([
      { message: 'comma expected', offset: broken.indexOf('"cells"'), line: lines.length, column: lines.at(-1)!.length + 1 },
    ]);
  });

  it('a newer run supersedes a long training; Pause holds the new one and each Step lets exactly one step through', async () => {
    const first = run(LONG_TRAINING);
    await expect.poll(() => first.steps(), { timeout: 10_000 }).toBeGreaterThan(0);
    const second = session.run(LONG_TRAINING, { progressIntervalMs: 0 });
    expect(await first.ended).toBe('superseded');
    expect(first.events.at(-1)).toEqual({ kind: 'done', cancelled: true });
    await expect.poll(() => second.steps(), { timeout: 10_000 }).toBeGreaterThan(0);
    client.setPaused(true);
    // Every step of this run reports (progressIntervalMs 0): a Step's report counts every step so far.
    const stepOnce = async () => {
      const before = second.events.length;
      client.step();
      await expect.poll(() => second.events.slice(before).some((e) => e.kind === 'train-progress'), { timeout: 10_000 }).toBe(true);
      return second.steps();
    };
    // The first Steps also take in reports of steps made before the pause took hold.
    await stepOnce();
    const once = await stepOnce();
    expect(await stepOnce()).toBe(once + 1);
    client.stop();
    expect(await second.ended).toBe('finished');
    expect(second.events.at(-1)).toEqual({ kind: 'done', cancelled: true });
  });
});

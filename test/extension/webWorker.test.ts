// The web build's engine in a real browser Web Worker (headless Chromium): the
// EngineClient and webWorkerSpawner as dist/web/extension.js bundles them, with
// the engine worker bundle inside, evaluate scenarios to PyTorch's numbers, read
// .npy bytes from the host, stop, supersede, and replace a killed or hung worker.
// The WebAssembly SIMD kernels load there too.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelEvent } from '../../core/events';
import type { EngineClient, SpawnWorker } from '../../extension/engineClient';
import type { Ended as RunEnded, EngineSession } from '../helpers/engineSession';
import { buildOptions } from '../../scripts/buildConfig.mjs';
import { FLOAT32, FLOAT64, decodeNonFinite, expectClose, flatParams, golden } from '../helpers/golden';
import { LONG_TRAINING } from '../helpers/engineWorker';
import { lossScenario, trainScenario } from '../helpers/goldenScenarios';
import type { CliCell } from '../helpers/run';
import { launchChromium } from '../webview/pageHost.mjs';

declare global {
  interface Window {
    ceLab: {
      EngineClient: typeof EngineClient;
      EngineSession: typeof EngineSession;
      webWorkerSpawner(source: string): SpawnWorker;
      engineSource: string;
    };
  }
}

const root = path.resolve(__dirname, '..', '..');
const example = (name: string) => readFileSync(path.join(root, 'examples', name), 'utf8');
const bytesOf = (name: string) => [...readFileSync(path.join(root, 'examples', 'data', name))];

/** What a run in the page ends with. */
interface Ended {
  outcome: RunEnded;
  events: PanelEvent[];
  /** performance.now() in the page when it ended. */
  at: number;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const harness = await esbuild.build({
    ...buildOptions().webExtension,
    entryPoints: undefined,
    outfile: undefined,
    stdin: {
      contents: `import { EngineClient } from './extension/engineClient';
        import { EngineSession } from './test/helpers/engineSession';
        import { webWorkerSpawner } from './extension/worker/webWorkerSpawner';
        import engineSource from 'ce-lab:engine-worker';
        window.ceLab = { EngineClient, EngineSession, webWorkerSpawner, engineSource };`,
      resolveDir: root,
      loader: 'ts',
    },
    absWorkingDir: root,
    format: 'iife',
    external: [],
    sourcemap: false,
    write: false,
    logLevel: 'silent',
  });
  browser = await launchChromium();
  page = await browser.newPage();
  // Any http origin will do; a blank page served by Playwright itself.
  await page.route('http://ce-lab.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>web worker test</title>' }),
  );
  await page.goto('http://ce-lab.test/');
  await page.addScriptTag({ content: harness.outputFiles[0].text });
  // One client for the suite, as the extension has, and a session of runs over it.
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const client = new window.ceLab.EngineClient({
      spawn: window.ceLab.webWorkerSpawner(window.ceLab.engineSource),
      runTimeoutMs: () => 30_000,
      stopGraceMs: 5000,
      // The long training is over the default limits: raising them also checks that limits reach the Web Worker.
      limits: () => ({ maxTrainSteps: 1e8, maxWork: 1e15 }),
    });
    w.client = client;
    w.session = new window.ceLab.EngineSession(client);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Starts a run in the page, its files from `files`. Resolves when it ends. */
function run(text: string, files: Record<string, number[]> = {}): Promise<Ended> {
  return page.evaluate(
    async ({ text, files }) => {
      const w = window as unknown as { session: EngineSession; runs: PanelEvent[][] };
      w.session.files = { readFile: async (p) => (files[p] ? new Uint8Array(files[p]) : Promise.reject(new Error(`no file at "${p}"`))) };
      const run = w.session.run(text);
      (w.runs ??= []).push(run.events);
      const outcome = await run.ended;
      return { outcome, events: run.events, at: performance.now() };
    },
    { text, files },
  );
}

/** Waits in the page until the latest run has trained at least one step. */
async function trainingStarted(): Promise<void> {
  await page.waitForFunction(() => {
    const runs = (window as unknown as { runs: PanelEvent[][] }).runs;
    return runs.at(-1)?.some((e) => e.kind === 'train-progress');
  });
}

/** Calls the client in the page; returns performance.now() there just before. */
const client = (action: 'stop' | 'killWorker') =>
  page.evaluate((a) => {
    const at = performance.now();
    (window as unknown as { client: EngineClient }).client[a]();
    return at;
  }, action);
const lossOf = (ended: Ended) => {
  const e = ended.events.find((x) => x.kind === 'cell-result' && x.result.type === 'loss');
  return e?.kind === 'cell-result' && e.result.type === 'loss' ? Number(e.result.loss) : NaN;
};

describe('engine in a browser Web Worker', () => {
  it("evaluates the sorix example to PyTorch's loss", async () => {
    const ended = await run(example('sorix.ce.json'));
    expect(ended.outcome).toBe('finished');
    // PyTorch float32: 0.2159433513879776 (golden case doc_sorix_example).
    expect(Math.abs(lossOf(ended) - 0.2159433513879776)).toBeLessThan(2e-6 * 0.216);
    expect(ended.events.at(-1)).toEqual({ kind: 'done', cancelled: false });
    // The WebAssembly SIMD kernels, embedded in the worker bundle, load in a browser Web Worker.
    expect(ended.events.find((e) => e.kind === 'scenario')).toMatchObject({ kernels: 'wasm-simd' });
  });

  it("every golden PyTorch case, written as a scenario, gives PyTorch's numbers", async () => {
    const cases = (['float64', 'float32'] as const).flatMap((dtype) => [
      ...golden.loss_cases.map((c) => ({ dtype, loss: c, text: JSON.stringify(lossScenario(c, dtype)) })),
      ...golden.train_cases.map((c) => ({ dtype, train: c, text: JSON.stringify(trainScenario(c, dtype)) })),
    ]);
    // One after another through the suite's client; each run folded and written as the CLI document.
    const documents = await page.evaluate(
      async (texts) => {
        const { client, session } = window as unknown as { client: EngineClient; session: EngineSession };
        const out: string[] = [];
        // The CLI document of each run, as the worker keeps it (with the N×C tensors).
        for (const text of texts) {
          const run = session.run(text);
          await run.ended;
          out.push(new TextDecoder().decode((await client.exportResults({ uri: run.uri }))!));
        }
        return out;
      },
      cases.map((c) => c.text),
    );
    expect(documents).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const [cell] = decodeNonFinite<{ cells: CliCell[] }>(JSON.parse(documents[i])).cells;
      const tol = c.dtype === 'float64' ? FLOAT64 : FLOAT32;
      if ('loss' in c) {
        const expected = c.loss.expected[c.dtype];
        if ('error' in expected) return expect(cell.error?.message, c.loss.name).toContain(expected.error);
        expect(cell.ok, `${c.loss.name} ${JSON.stringify(cell.error)}`).toBe(true);
        expectClose(cell.loss, expected.loss, tol, `${c.loss.name} loss`);
        expectClose(cell.grad, expected.grad, tol, `${c.loss.name} grad`);
      } else {
        const expected = c.train.expected[c.dtype];
        expect(cell.ok, `${c.train.name} ${JSON.stringify(cell.error)}`).toBe(true);
        expectClose(cell.losses, expected.losses, tol, `${c.train.name} losses`);
        expectClose(flatParams(cell.final.params), flatParams(expected.final), tol, `${c.train.name} final params`);
      }
    });
  });

  it('gets .npy bytes from the host', async () => {
    const ended = await run(example('npy-logits.ce.json'), { 'data/logits.npy': bytesOf('logits.npy'), 'data/targets.npy': bytesOf('targets.npy') });
    // PyTorch 1.13: F.cross_entropy(torch.from_numpy(np.load('data/logits.npy')), torch.from_numpy(np.load('data/targets.npy')))
    expect(Math.abs(lossOf(ended) - 0.9410219788551331)).toBeLessThan(2e-6);
  });

  it("a file the host cannot give is the cell's error, not a hang", async () => {
    const ended = await run(example('npy-logits.ce.json'));
    expect(ended.outcome).toBe('finished');
    expect(JSON.stringify(ended.events)).toContain('no file at \\"data/logits.npy\\"');
  });

  it("Stop ends a long training with the engine's own cancelled done promptly (by message: no shared memory here)", async () => {
    const ended = run(LONG_TRAINING);
    await trainingStarted();
    await client('stop');
    const { outcome, events } = await ended;
    expect(outcome).toBe('finished');
    expect(events.at(-1)).toEqual({ kind: 'done', cancelled: true });
  });

  it('a newer run supersedes one in flight', async () => {
    const first = run(LONG_TRAINING);
    await trainingStarted();
    const second = run(example('sorix.ce.json'));
    expect((await first).outcome).toBe('superseded');
    expect(Math.abs(lossOf(await second) - 0.2159433513879776)).toBeLessThan(2e-6 * 0.216);
  });

  it('a killed worker ends its run with a notice, and the next run gets a fresh one', async () => {
    const ended = run(LONG_TRAINING);
    await trainingStarted();
    await client('killWorker');
    expect((await ended).outcome).toEqual({ failed: expect.stringMatching(/crashed \(killed on request\) and was restarted/) });
    expect(Math.abs(lossOf(await run(example('sorix.ce.json'))) - 0.2159433513879776)).toBeLessThan(2e-6 * 0.216);
  });

  it('a Web Worker that stops answering is terminated by the watchdog', async () => {
    const outcome = await page.evaluate(() => {
      // A worker stuck in a loop the moment it gets a request.
      const hung = window.ceLab.webWorkerSpawner('onmessage = () => { for (;;) {} };');
      const c = new window.ceLab.EngineClient({ spawn: hung, runTimeoutMs: () => 1000 });
      return new window.ceLab.EngineSession(c).run('{}').ended;
    });
    expect(outcome).toEqual({ failed: expect.stringMatching(/sent nothing for 1 s; its worker was restarted/) });
  });
});

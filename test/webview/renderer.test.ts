// The notebook renderer (webview/notebook/renderer.ts) in Chromium: it mounts the
// panel's own cell views on a cell output (recorded engine events folded as the
// host folds them), shows PyTorch's golden numbers, redraws a streaming update in
// place, and sends a knob's edit to the kernel in the panel's protocol.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events';
import { encodeCellOutput } from '../../core/notebook/cellOutput';
import { panelRunState } from '../../core/panelResults';
import type { Wire } from '../../core/channel';
import { applyEvent, emptyRunState } from '../../core/runState';
import { launchChromium, repoRoot, startServer } from './pageHost.mjs';

declare global {
  interface Window {
    /** What the views posted to the kernel: the panel's channel messages. */
    posted: Wire[];
    renderer: { renderOutputItem(item: { id: string; text(): string }, element: HTMLElement): void };
    harnessThemes: Record<string, { bodyClass: string; vars: Record<string, string> }>;
    keptSection?: Element | null;
  }
}

const golden = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/torch-golden-public.json'), 'utf8'));
const sorix = golden.loss_cases.find((c: { name: string }) => c.name === 'doc_sorix_example');
const events: EngineEvent[] = JSON.parse(readFileSync(join(repoRoot, 'test/webview/fixtures/sorix.json'), 'utf8')).events;
const state = panelRunState(events.reduce((s, e) => applyEvent(s, e), emptyRunState()));
const output = (index: number) => encodeCellOutput({ index, dtype: state.dtype, cell: state.cells[index] });

let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'pipe' });
  server = await startServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
  await page.goto(`${server.url}/test/webview/rendererHarness.html`);
  await page.waitForFunction(() => window.renderer !== undefined);
  await page.evaluate(() => Object.entries(window.harnessThemes.dark.vars).forEach(([k, v]) => document.documentElement.style.setProperty(k, v)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Renders output `text` as item `id` into a fresh (or the given) output element. */
const render = (id: string, text: string, elementId: string) =>
  page.evaluate(
    ([id, text, elementId]) => {
      let element = document.getElementById(elementId);
      if (!element) document.getElementById('out')!.append((element = Object.assign(document.createElement('div'), { id: elementId })));
      window.renderer.renderOutputItem({ id, text: () => text }, element);
    },
    [id, text, elementId],
  );

it("draws a loss cell's output with the panel's view: PyTorch's loss", async () => {
  await render('loss', output(1), 'loss-output');
  const loss = page.locator('#loss-output [data-testid="loss-two-samples"]');
  await loss.waitFor();
  expect(Number(/-?\d+\.\d+/.exec(await loss.innerText())![0])).toBeCloseTo(sorix.expected.float32.loss, 4);
  // Styled by the panel's stylesheet, inside the output's shadow root only.
  await page.waitForFunction(
    () => getComputedStyle(document.querySelector('#loss-output')!.shadowRoot!.querySelector('section')!).borderStyle !== 'none',
  );
  expect(await page.evaluate(() => getComputedStyle(document.body).padding)).toBe('0px');
});

it('redraws the same output in place when it is replaced (a streaming update)', async () => {
  await render('train', output(2), 'train-output');
  await page.locator('#train-output [data-testid="cell-linear-sgd"]').waitFor();
  await page.evaluate(() => (window.keptSection = document.querySelector('#train-output')!.shadowRoot!.querySelector('section')));
  await render('train', output(2), 'train-output');
  expect(await page.evaluate(() => window.keptSection === document.querySelector('#train-output')!.shadowRoot!.querySelector('section'))).toBe(true);
});

it("sends a knob's edit of the cell to the kernel, at the cell's path", async () => {
  const knob = page.locator('#loss-output [data-testid="knob-label_smoothing-two-samples"]');
  await knob.focus();
  await knob.press('ArrowRight');
  const finalEdit = (m: Wire) => m.kind === 'notice' && m.method === 'edit' && !(m.params as { transient: boolean }).transient;
  await page.waitForFunction(() =>
    window.posted.some((m) => m.kind === 'notice' && m.method === 'edit' && !(m.params as { transient: boolean }).transient),
  );
  const edit = (await page.evaluate(() => window.posted)).find(finalEdit);
  expect(edit).toMatchObject({ kind: 'notice', method: 'edit', params: { path: ['cells', 1, 'label_smoothing'] } });
});

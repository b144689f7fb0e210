// The panel in Chromium, driven by recorded engine events through the harness
// (a fake VS Code host). Numbers are checked against PyTorch's golden values,
// not against the panel's own arithmetic.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../core/evaluate';
import type { EngineEvent, PanelEvent } from '../../core/events';
import { bytesAsRangeFile } from '../../core/files/rangeFile';
import { npyBytes } from '../../core/npyWrite';
import { panelEvent } from '../../core/panelResults';
import { applyEvent, emptyRunState } from '../../core/runState';
import type { PanelHostApi } from '../../core/protocol';
import type { LossResult, RowDetail } from '../../core/results';
import { rowPage } from '../../core/scenario/rowPage';
import { CALIBRATING } from '../../core/scenario/streamedRun';
import type { UiState } from '../../webview/state';
import { cliCells } from '../helpers/run';
import { launchChromium, repoRoot, startServer } from './pageHost.mjs';

/** What the panel sent, as the harness records it: notices and requests flat, a draw's reply as `drawn`. */
type PanelToHost =
  | { [M in keyof PanelHostApi['notices']]: { type: M } & PanelHostApi['notices'][M] }[keyof PanelHostApi['notices']]
  | { type: 'rowDetail'; cellId: string; element: number; requestId: number }
  | { type: 'rows'; cellId: string; from: number; count: number; requestId: number }
  | { type: 'drawn'; seq: number };

declare global {
  interface Window {
    harness: {
      posted: PanelToHost[];
      postedAt: number[];
      ready: Promise<void>;
      savedState(): Partial<UiState> | null;
      send(message: unknown): void;
      setTheme(name: string): void;
      replay(events: EngineEvent[]): void;
      answerEdits(events: EngineEvent[], delayMs?: number): void;
      reruns: number;
      onPost: ((message: PanelToHost) => void) | null;
    };
    kept?: Element[];
  }
}

const fixture = (name: string): EngineEvent[] => JSON.parse(readFileSync(join(repoRoot, 'test/webview/fixtures', name), 'utf8')).events;
const golden = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/torch-golden-public.json'), 'utf8'));
const sorix = golden.loss_cases.find((c: { name: string }) => c.name === 'doc_sorix_example');
const THEMES = ['light', 'dark', 'high-contrast', 'high-contrast-light'];
/** Every built-in theme of VS Code 1.139 (test/webview/themes.js has their variables). */
const ALL_THEMES = ['light-modern', 'dark-modern', 'light-2026', 'dark-2026', 'light', 'dark', 'high-contrast', 'high-contrast-light'];
const ARTIFACTS = join(repoRoot, 'test-artifacts/webview');

let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'pipe' });
  server = await startServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The panel events of a 6,000 × 4 logits file streamed (maxElements 1,000), named classes. */
async function streamedEvents(): Promise<{ events: PanelEvent[]; labels: number[] }> {
  const { text, options, labels } = streamedScenario();
  const events: PanelEvent[] = [];
  for await (const event of evaluateScenario(text, options)) events.push(panelEvent(event));
  return { events, labels };
}

/** A 6,000 × 4 logits file with labels and class names, read through in-memory files, calibrated. */
function streamedScenario() {
  const [N, C] = [6000, 4];
  const labels = Array.from({ length: N }, (_, n) => (n * 7) % C);
  const logits = Array.from({ length: N * C }, (_, i) => 2 * Math.sin(i * 0.37) + (i % C === labels[Math.floor(i / C)] ? 1.5 : 0));
  const files: Record<string, Uint8Array> = {
    'logits.npy': npyBytes('<f4', [N, C], logits),
    'labels.npy': npyBytes('<i8', [N], labels),
    'names.txt': new TextEncoder().encode('cat\ndog\nbird\nfish\n'),
  };
  const text = JSON.stringify({
    cells: [
      {
        type: 'loss',
        id: 'big',
        title: 'A classifier’s outputs',
        logits: { npy: 'logits.npy' },
        target: { npy: 'labels.npy' },
        classes: { file: 'names.txt' },
      },
    ],
  });
  const options = {
    limits: { maxElements: 1000 },
    loadNpy: async (p: string) => files[p],
    openFile: async (p: string) => bytesAsRangeFile(p, files[p]),
  };
  return { text, options, labels };
}

/** What the engine answers for element `element` of that cell. */
async function streamedDetail(element: number): Promise<RowDetail> {
  const { text, options } = streamedScenario();
  for await (const event of evaluateScenario(text, { ...options, cellId: 'big', detail: element }))
    if (event.kind === 'cell-detail') return event.detail;
  throw new Error('no detail');
}

/** Opens the harness, collects console errors (CSP violations land there), replays a fixture. */
async function openPanel(events: EngineEvent[], theme = 'dark', width = 1000): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/test/webview/harness.html?theme=${theme}`);
  await page.evaluate(() => window.harness.ready);
  await replay(page, events);
  await page.locator('[data-testid^="status-"]').first().waitFor({ state: 'attached' });
  await page.waitForFunction(() => document.querySelectorAll('.placeholder:not([hidden])').length === 0);
  return { page, errors };
}

// `unknown` keeps Playwright's serialisable-type check from recursing through EngineEvent.
const replay = (page: Page, events: unknown) => page.evaluate((evs) => window.harness.replay(evs as EngineEvent[]), events);
/** Sends more events of the run replayed last, as the host does. */
const sendMore = (page: Page, events: unknown) =>
  page.evaluate((evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs }), events);

const posted = (page: Page) => page.evaluate(() => window.harness.posted);

const isEdit = (m: PanelToHost): m is Extract<PanelToHost, { type: 'edit' }> => m.type === 'edit';

async function tableNumbers(page: Page, testId: string): Promise<{ header: string[]; rows: string[][] }> {
  return page.locator(`[data-testid="${testId}"]`).evaluate((table) => ({
    header: [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent ?? '')),
  }));
}

/** Waits until the panel's last edit is final and the host (`harness.answerEdits`) has answered every edit with a re-run. */
const settled = (page: Page) =>
  page.waitForFunction(() => {
    const edits = window.harness.posted.filter((m): m is Extract<PanelToHost, { type: 'edit' }> => m.type === 'edit');
    return edits.at(-1)?.transient === false && window.harness.reruns === edits.length;
  });

/** Waits until every chart on screen is redrawn in the current theme: its corner pixel is the editor background, as the body's. */
const themeDrawn = (page: Page) =>
  page.waitForFunction(() => {
    const bg = (getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    return [...document.querySelectorAll('canvas')]
      .filter((c) => c.width > 0 && c.height > 0 && c.offsetParent !== null)
      .every((c) => {
        const [r, g, b] = c.getContext('2d')!.getImageData(1, 1, 1, 1).data;
        return r === bg[0] && g === bg[1] && b === bg[2];
      });
  });

describe('panel (Chromium)', () => {
  it('says ready, then shows the sorix loss, probabilities and gradient as PyTorch computes them', async () => {
    const { page, errors } = await openPanel(fixture('sorix.json'));
    expect((await posted(page))[0]).toEqual({ type: 'ready' });

    const loss = Number(await page.getByTestId('loss-two-samples').textContent());
    expect(loss).toBeCloseTo(0.2159, 4);
    expect(loss).toBeCloseTo(sorix.expected.float32.loss, 6);
    expect(await page.getByTestId('normalisation-two-samples').textContent()).toBe('÷ 2 over 2 targets');

    const grads = await tableNumbers(page, 'grad-table-two-samples');
    expect(grads.header).toEqual(['element', 'target', '∂L/∂z(cat)', '∂L/∂z(dog)', '∂L/∂z(bird)']);
    expect(grads.rows.map((r) => r.slice(0, 2))).toEqual([
      ['#0', 'cat'],
      ['#1', 'dog'],
    ]);
    grads.rows.forEach((row, n) => row.slice(2).forEach((text, c) => expect(Number(text)).toBeCloseTo(sorix.expected.float32.grad[n][c], 5)));
    expect(Number(grads.rows[0][2])).toBeCloseTo(-0.1705, 4);
    expect(Number(grads.rows[0][3])).toBeCloseTo(0.1212, 4);
    expect(Number(grads.rows[0][4])).toBeCloseTo(0.0493, 4);

    const probs = await tableNumbers(page, 'probs-table-two-samples');
    probs.rows.forEach((row, n) => {
      row.slice(2, 5).forEach((text, c) => expect(Number(text)).toBeCloseTo(sorix.softmax[n][c], 5));
      expect(row.slice(5).map(Number)).toEqual(n === 0 ? [1, 0, 0] : [0, 1, 0]);
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('captions weighted, ignored and smoothed losses and greys the ignored sample', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    // weight [1, 2, 0.5], targets [dog, bird, ignored, cat]: Σw = 2 + 0.5 + 1 = 3.5.
    expect(await page.getByTestId('normalisation-weighted').textContent()).toBe('÷ Σw = 3.5 over 3 non-ignored of 4 targets');
    const probs = await tableNumbers(page, 'probs-table-weighted');
    expect(probs.rows[2][1]).toBe('ignored');
    // Label smoothing 0.1 over 3 classes: Y = 0.9·onehot + 0.1/3.
    expect(Number(probs.rows[0][6])).toBeCloseTo(0.9 + 0.1 / 3, 6);
    expect(Number(probs.rows[0][5])).toBeCloseTo(0.1 / 3, 6);
    await page.close();
  });

  it('posts edits from the knobs: transient while moving, final on release', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    const knob = page.getByTestId('knob-label_smoothing-two-samples');
    const box = (await knob.boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 4 + (i * box.width * 0.25) / 10, box.y + box.height / 2);
    await page.mouse.up();
    const edits = (await posted(page)).filter(isEdit);
    expect(edits.length).toBeGreaterThan(1);
    expect(edits.every((m) => JSON.stringify(m.path) === '["cells",1,"label_smoothing"]')).toBe(true);
    expect(edits.slice(0, -1).every((m) => m.transient)).toBe(true);
    const last = edits[edits.length - 1];
    expect(last.transient).toBe(false);
    expect(last.value as number).toBeGreaterThan(0.15);
    expect(last.value as number).toBeLessThan(0.35);
    // The document is the source of truth: the loss does not move until the host re-runs.
    expect(Number(await page.getByTestId('loss-two-samples').textContent())).toBeCloseTo(0.2159, 4);

    await page.getByTestId('knob-temperature-two-samples').focus();
    await page.keyboard.press('ArrowRight');
    const temperature = (await posted(page)).filter(isEdit).filter((m) => m.path[2] === 'temperature');
    expect(temperature.at(-1)).toMatchObject({ transient: false });
    expect(temperature.at(-1)!.value).toBe(1.1); // one arrow key = 0.1 of temperature
    await page.close();
  });

  it('drags a logit bar: transient edits to its JSON path, then one final edit', async () => {
    const { page, errors } = await openPanel(fixture('gallery.json'));
    const bar = page.getByTestId('logit-two-samples-0-1'); // element #0, class dog, written as 1.0
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('1');
    const box = (await bar.boundingBox())!;
    const x = box.x + box.width / 2;
    // The track runs from +extent (top) to −extent (bottom); start the press at z = 1.
    const extent = Number(await bar.getAttribute('aria-valuemax'));
    const start = 0.5 - 1 / (2 * extent);
    await page.mouse.move(x, box.y + box.height * start);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) await page.mouse.move(x, box.y + box.height * (start - i * 0.02));
    await page.mouse.up();
    // A transient edit waiting for its frame must not land after the final one: wait two frames and look.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const messages = (await posted(page)).filter(isEdit);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => JSON.stringify(m.path) === '["cells",1,"logits",0,1]')).toBe(true);
    expect(messages.slice(0, -1).every((m) => m.transient)).toBe(true);
    expect(messages.at(-1)!.transient).toBe(false);
    expect(messages.at(-1)!.value as number).toBeCloseTo(1 + 0.3 * 2 * extent, 1); // 0.3 of the height up
    // The bar stays where the hand left it; the numbers wait for the host's re-run.
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(messages.at(-1)!.value);
    expect(Number(await page.getByTestId('loss-two-samples').textContent())).toBeCloseTo(0.2159, 4);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('coalesces a drag to animation frames: many pointer moves in one frame draw the bar and slider at the last one and send one transient edit', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const bar = page.getByTestId('logit-two-samples-0-1');
    const box = (await bar.boundingBox())!;
    const extent = Number(await bar.getAttribute('aria-valuemax'));
    const x = box.x + box.width / 2;
    await page.mouse.move(x, box.y + box.height / 2);
    await page.mouse.down();
    // Twelve moves dispatched in one task, so within one frame; then the frame, then one more (to see it is over).
    const counts = await page.evaluate(
      ({ x, top, height }) => {
        const track = document.querySelector('[data-testid="logit-two-samples-0-1"]')!;
        const knob = document.querySelector<HTMLInputElement>('[data-testid="knob-temperature-two-samples"]')!;
        const edits = () => window.harness.posted.filter((m) => m.type === 'edit').length;
        const before = edits();
        const pointerId = 1; // the mouse's
        for (let i = 1; i <= 12; i++) {
          track.dispatchEvent(new PointerEvent('pointermove', { pointerId, clientX: x, clientY: top + height * (0.5 - i * 0.02), bubbles: true }));
          knob.value = String(500 + 10 * i);
          knob.dispatchEvent(new Event('input', { bubbles: true }));
        }
        const sameFrame = edits() - before;
        return new Promise<{ sameFrame: number; nextFrame: number; later: number }>((resolve) =>
          requestAnimationFrame(() => {
            const nextFrame = edits() - before;
            requestAnimationFrame(() => requestAnimationFrame(() => resolve({ sameFrame, nextFrame, later: edits() - before })));
          }),
        );
      },
      { x, top: box.y, height: box.height },
    );
    expect(counts).toEqual({ sameFrame: 0, nextFrame: 2, later: 2 });
    const edits = (await posted(page)).filter(isEdit);
    const logit = edits.find((m) => m.path[2] === 'logits')!;
    const temperature = edits.find((m) => m.path[2] === 'temperature')!;
    expect([logit.transient, temperature.transient]).toEqual([true, true]);
    // The last move of the frame wins: 0.24 of the height above the middle, the slider at 620 of 1000.
    expect(logit.value as number).toBeCloseTo(0.24 * 2 * extent, 1);
    expect(temperature.value as number).toBeCloseTo(0.05 * Math.pow(100, 0.62), 2);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(logit.value);
    await page.mouse.up();
    await page.close();
  });

  it('steps logits from the keyboard at the right path for (C) and (N, C, d) inputs; random logits are read-only', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const edits = async () => (await posted(page)).filter(isEdit);
    await page.getByTestId('logit-unbatched-0-1').focus();
    await page.keyboard.press('ArrowRight'); // to bird, written as -1.0
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('logit-unbatched-0-2');
    await page.keyboard.press('ArrowUp');
    // A press shorter than a frame: its transient edit never went out, the release commits the value.
    expect((await edits()).at(-1)).toEqual({ type: 'edit', path: ['cells', 10, 'logits', 2], value: -0.9, transient: false });
    // Element 1 of a (1, 2, 3) input is sample 0, position 1: class 1 sits at logits[0][1][1] (1.5).
    await page.getByTestId('logit-kdim-small-1-1').focus();
    await page.keyboard.press('PageUp');
    expect((await edits()).at(-1)).toMatchObject({ type: 'edit', path: ['cells', 11, 'logits', 0, 1, 1], value: 2.5, transient: false });

    const readOnly = page.getByTestId('logit-random-small-0-0');
    await expect(readOnly.getAttribute('aria-readonly')).resolves.toBe('true');
    await expect(page.getByTestId('cell-random-small').locator('.logit-figure').getAttribute('title')).resolves.toContain('Read-only');
    const before = (await edits()).length;
    await readOnly.focus();
    await page.keyboard.press('ArrowUp');
    const box = (await readOnly.boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + 5, box.y + 20);
    await page.mouse.up();
    expect((await edits()).length).toBe(before);
    await page.close();
  });

  it('shows a failed cell in place and reveals its JSON path on click', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    await expect(page.getByTestId('error-bad-target').textContent()).resolves.toContain('Target 3 is out of bounds');
    await page.getByTestId('error-bad-target-path').click();
    expect((await posted(page)).at(-1)).toEqual({ type: 'reveal', path: ['cells', 9, 'target', 0] });
    await page.close();
  });

  it('asks the host to copy a cell as PyTorch from its header button', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    await page.getByTestId('pytorch-two-samples').click();
    expect((await posted(page)).at(-1)).toEqual({ type: 'copyAsPytorch', cellId: 'two-samples' });
    await page.close();
  });

  it('renders markdown without raw HTML', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const cell = page.getByTestId('cell-notes');
    await expect(cell.locator('h2').textContent()).resolves.toBe('Cross-entropy, cell by cell');
    expect(await cell.locator('b').count()).toBe(0);
    await expect(cell.textContent()).resolves.toContain('<b>not bold</b>');
    await page.close();
  });

  it('summarises many samples and draws a heatmap for K-dim inputs', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const confused = await page.getByTestId('cell-many').locator('.confusion li').allTextContents();
    expect(confused.length).toBeGreaterThan(0);
    for (const item of confused) expect(item).toMatch(/^“(plane|car|bird|cat|deer)” predicted as “(plane|car|bird|cat|deer)”: \d+×$/);
    const hist = await tableNumbers(page, 'histogram-table-many');
    expect(hist.rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(400);
    const heat = await tableNumbers(page, 'heatmap-table-segmentation');
    expect(heat.header.length).toBe(1 + 6);
    expect(heat.rows.length).toBe(2 * 4);
    await page.close();
  });

  it("pages through a streamed cell's every element: the panel asks for a page, draws the host's answer, asks for the next", async () => {
    const { events, labels } = await streamedEvents();
    const { page } = await openPanel(events);
    const asked = () => page.evaluate(() => window.harness.posted.filter((m) => m.type === 'rows'));
    await expect.poll(asked).toEqual([{ type: 'rows', cellId: 'big', from: 0, count: 50, requestId: expect.any(Number) }]);
    // The host's answer: the page as the worker makes it from the cell's kept result.
    const answer = async (from: number) => {
      const { text, options } = streamedScenario();
      let result: LossResult | null = null;
      for await (const event of evaluateScenario(text, options))
        if (event.kind === 'cell-result' && event.result.type === 'loss') result = event.result;
      const rows = rowPage(result!, from, 50);
      await page.evaluate((r) => window.harness.send({ type: 'reply', method: 'rows', result: r }), rows as unknown);
    };
    await answer(0);
    await page.getByTestId('rows-big').waitFor();
    const first = await tableNumbers(page, 'rows-big');
    expect(first.rows.map((r) => r[0])).toEqual(Array.from({ length: 50 }, (_, n) => `#${n}`));
    expect(first.rows.map((r) => r[1])).toEqual(labels.slice(0, 50).map((t) => ['cat', 'dog', 'bird', 'fish'][t]));
    await expect(page.locator('.pager').first().textContent()).resolves.toContain('elements 1–50 of 6,000');
    await page.getByTestId('rows-next-big').click();
    await expect.poll(async () => (await asked()).at(-1)).toMatchObject({ type: 'rows', cellId: 'big', from: 50, count: 50 });
    await answer(50);
    await page.waitForFunction(() => document.querySelector('[data-testid="rows-big"] tbody th')?.textContent === '#50');
    await expect(page.locator('.pager').first().textContent()).resolves.toContain('elements 51–100 of 6,000');
    await page.close();
  });

  it('says how far through its file a streamed cell is while it runs', async () => {
    const { events } = await streamedEvents();
    const started = events.findIndex((e) => e.kind === 'cell-started');
    const progress: PanelEvent = { kind: 'cell-progress', index: 0, id: 'big', done: 2700, total: 6000 };
    // Not openPanel: it waits for every cell to have output, and this one is still running.
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${server.url}/test/webview/harness.html?theme=dark`);
    await page.evaluate(() => window.harness.ready);
    await replay(page, [...events.slice(0, started + 1), progress]);
    await page.waitForFunction(() => document.querySelector('[data-testid="status-big"]')?.textContent === 'running… 45%');
    await page.close();
  });

  it('shows a streamed cell: its figures, worst elements and histogram, in all four themes', async () => {
    const { events, labels } = await streamedEvents();
    const { page, errors } = await openPanel(events, THEMES[0]);
    const stats = await page.getByTestId('stats-big').locator('.stat').allTextContents();
    expect(stats.map((s) => s.replace(/[\d.]+/g, '#'))).toEqual(['accuracy#%', 'top-#%', 'mean entropy# nats', 'perplexity#']);
    const worst = await tableNumbers(page, 'worst-big');
    expect(worst.rows.length).toBe(10);
    for (const row of worst.rows) expect(row[1]).toBe(['cat', 'dog', 'bird', 'fish'][labels[Number(row[0].slice(1))]]);
    const hist = await tableNumbers(page, 'histogram-table-big');
    expect(hist.rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(labels.length);
    // A click on the worst element asks the host for its detail; the engine's answer shows its classes.
    const element = Number(worst.rows[0][0].slice(1));
    await page.getByTestId(`row-big-${element}`).click();
    expect((await posted(page)).at(-1)).toMatchObject({ type: 'rowDetail', cellId: 'big', element });
    const detail = await streamedDetail(element);
    await page.evaluate((answer) => window.harness.send(answer), { type: 'rowDetail', cellId: 'big', element, detail } as unknown);
    await page.getByTestId('detail-big-detail').waitFor();
    const table = await tableNumbers(page, 'detail-table-big-detail');
    expect(table.rows.map((r) => r[0])).toEqual(detail.names);
    expect(table.rows.find((r) => r[0] === worst.rows[0][1])?.[2]).toBe(worst.rows[0][3]); // P at the target, as the worst table says
    for (const theme of THEMES) {
      await page.evaluate((t) => window.harness.setTheme(t), theme);
      mkdirSync(join(ARTIFACTS, theme), { recursive: true });
      await page.getByTestId('cell-big').screenshot({ path: join(ARTIFACTS, theme, 'streamed.png') });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a classifier’s calibration: figures defined on hover, the reliability diagram, the fit before and after, and writes T', async () => {
    const { events } = await streamedEvents();
    const result = events.find((e) => e.kind === 'cell-result');
    const cal = result?.kind === 'cell-result' && result.result.ok && result.result.type === 'loss' ? result.result.calibration : undefined;
    if (!cal) throw new Error('the streamed cell has no calibration');
    const { page, errors } = await openPanel(events);
    expect(await page.getByTestId('ece-big').textContent()).toBe(cal.ece.toFixed(6));
    const ece = page.getByTestId('calibration-big').locator('.stat', { hasText: 'ECE' });
    expect(await ece.getAttribute('title')).toMatch(/^Expected calibration error: Σ_b n_b\/N·\|acc_b − conf_b\| over 15 equal-width/);
    const before = await tableNumbers(page, 'reliability-table-big');
    expect(before.rows.map((r) => Number(r[2]))).toEqual(cal.reliability.map((b) => b.count));
    expect(before.header).toEqual(['from', 'to', 'rows at T = 1', 'confidence at T = 1', 'accuracy at T = 1']);
    // Fit temperature: the fitted T's bins beside the cell's, on the same axes.
    await page.getByTestId('fit-temperature-big').click();
    const after = await tableNumbers(page, 'reliability-table-big');
    expect(after.header.slice(5, 6)).toEqual([`rows at fitted T = ${Number(cal.temperature.fitted.toPrecision(4))}`]);
    expect(after.rows.map((r) => Number(r[5]))).toEqual(cal.temperature.reliability.map((b) => b.count));
    // The button writes the fitted T into the cell as one final (undoable) edit.
    await page.getByTestId('apply-temperature-big').click();
    expect((await posted(page)).filter(isEdit).at(-1)).toEqual({
      type: 'edit',
      path: ['cells', 0, 'temperature'],
      value: cal.temperature.fitted,
      transient: false,
    });
    mkdirSync(join(ARTIFACTS, 'dark'), { recursive: true });
    await page.getByTestId('cell-big').screenshot({ path: join(ARTIFACTS, 'dark', 'calibration.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a streamed cell’s loss while its calibration passes run, and keeps the last figures, dimmed, through a re-run', async () => {
    const { text, options } = streamedScenario();
    const events: PanelEvent[] = [];
    for await (const event of evaluateScenario(text, { ...options, provisionalStreamedResults: true })) events.push(panelEvent(event));
    const results = events.flatMap((e, i) => (e.kind === 'cell-result' ? [i] : []));
    expect(results).toHaveLength(2);
    const final = events[results[1]];
    const cal = final.kind === 'cell-result' && final.result.ok && final.result.type === 'loss' ? final.result.calibration : undefined;
    if (!cal) throw new Error('the streamed cell has no calibration');
    const firstRun = events.slice(0, results[0] + 1);
    const { page, errors } = await openPanel(firstRun);
    const pending = page.getByTestId('calibrating-big');
    await expect.poll(() => pending.textContent()).toBe(`Calibrating: ${CALIBRATING}`);
    expect(await page.getByTestId('stats-big').isVisible()).toBe(true);
    expect(await page.getByTestId('ece-big').count()).toBe(0);
    await sendMore(page, events.slice(results[0] + 1));
    await expect.poll(() => page.getByTestId('ece-big').textContent()).toBe(cal.ece.toFixed(6));
    expect(await pending.isHidden()).toBe(true);
    // A re-run (a temperature drag): its loss arrives, the figures stay, marked as out of date, until its calibration does.
    await sendMore(page, firstRun);
    await expect.poll(() => page.locator('section.calibration.stale').count()).toBe(1);
    expect(await page.getByTestId('ece-big').textContent()).toBe(cal.ece.toFixed(6));
    expect(await pending.isVisible()).toBe(true);
    await sendMore(page, events.slice(results[0] + 1));
    await expect.poll(() => page.locator('section.calibration.stale').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says why a cell of 1,000 rows with probability targets has no calibration', async () => {
    const logits = Array.from({ length: 1000 }, (_, i) => [i % 3, 0]);
    const text = JSON.stringify({ cells: [{ type: 'loss', id: 'soft', logits, target: logits.map(() => [0.5, 0.5]) }] });
    const events: PanelEvent[] = [];
    for await (const event of evaluateScenario(text)) events.push(panelEvent(event));
    const { page } = await openPanel(events);
    expect(await page.getByTestId('calibration-absent-soft').textContent()).toBe(
      'Not shown: Calibration needs class labels: this cell’s targets are probabilities.',
    );
    await page.close();
  });

  it('toggles a table from the keyboard, exports, and drives training', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const figure = page.locator('figure', { has: page.getByTestId('grad-table-two-samples') });
    const toggle = figure.getByRole('button', { name: 'Table' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('grad-table-two-samples').isVisible()).resolves.toBe(true);

    await figure.getByRole('button', { name: 'CSV' }).click();
    await figure.getByRole('button', { name: 'PNG' }).click();
    const [csv, png] = (await posted(page)).filter((m) => m.type === 'export');
    expect(csv).toMatchObject({ format: 'csv', suggestedName: 'two-samples-grad.csv' });
    expect(csv.type === 'export' && csv.data.split('\n')[1]).toMatch(/^#0,cat,-0\.170499/);
    expect(png.type === 'export' && png.data.startsWith('data:image/png;base64,')).toBe(true);
    // A loss cell's JSON is its whole result, which only the host holds.
    await figure.getByRole('button', { name: 'JSON' }).click();
    expect((await posted(page)).filter((m) => m.type === 'exportCell')).toEqual([
      { type: 'exportCell', cellId: 'two-samples', suggestedName: 'two-samples-grad.json' },
    ]);

    for (const action of ['run', 'pause', 'step', 'stop']) await page.getByTestId(`${action}-blobs`).click();
    const controls = (await posted(page)).filter((m) => ['run', 'pause', 'resume', 'step', 'stop'].includes(m.type));
    expect(controls).toEqual([{ type: 'run', cellId: 'blobs' }, { type: 'pause' }, { type: 'step' }, { type: 'stop' }]);
    await page.close();
  });

  it("names the training cell's curve slider for what it does: curve EMA, apart from the loss cell's label smoothing", async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const slider = page.getByTestId('curve-ema-blobs');
    const knob = page.locator('label.knob', { has: slider });
    await expect(knob.locator('.knob-label').innerText()).resolves.toBe('curve EMA');
    await expect(knob.getAttribute('title')).resolves.toMatch(/^Smooth curves: .*exponential moving average.*not the training/);
    await expect(slider.getAttribute('aria-label')).resolves.toMatch(/^curve EMA/);
    // The only knobs that say "smoothing" are the loss cells' label smoothing.
    const labels = await page.locator('.knob-label').allInnerTexts();
    expect(labels.filter((l) => /smoothing/i.test(l)).every((l) => /label smoothing/i.test(l))).toBe(true);
    await page.close();
  });

  it('keeps selection, curve EMA, table toggles and scroll across a reload', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    await page
      .locator('figure', { has: page.getByTestId('grad-table-two-samples') })
      .getByRole('button', { name: 'Table' })
      .click();
    await page.getByTestId('curve-ema-blobs').fill('0.9');
    await page.getByTestId('cell-blobs').click({ position: { x: 5, y: 5 } });
    await page.evaluate(() => window.scrollTo(0, 700));
    // The state is persisted debounced: wait until what a reload reads has all four.
    await page.waitForFunction(() => {
      const saved = window.harness.savedState();
      return (
        saved?.scrollY === 700 &&
        saved.selectedCellId === 'blobs' &&
        saved.smoothing?.blobs === 0.9 &&
        Object.values(saved.tableView ?? {}).includes(true)
      );
    });
    await page.reload();
    await page.evaluate(() => window.harness.ready);
    await replay(page, fixture('gallery.json'));
    await page.getByTestId('cell-blobs').locator('canvas').first().waitFor();
    await page.waitForFunction(() => window.scrollY > 0);
    await expect(page.getByTestId('curve-ema-blobs').inputValue()).resolves.toBe('0.9');
    await expect(page.getByTestId('cell-blobs').getAttribute('class')).resolves.toContain('selected');
    await expect(page.getByTestId('grad-table-two-samples').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(700);
    await page.close();
  });

  it('saves the document URI for the serializer on hydrate, and a hydrate or the next run clears a stale notice', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    await page.waitForFunction(() => window.harness.savedState()?.documentUri === 'file:///test.ce.json');
    await page.evaluate(() => window.harness.send({ type: 'notice', level: 'error', message: 'The engine worker crashed' }));
    await expect(page.locator('.notice').textContent()).resolves.toContain('crashed');
    await page.evaluate(() =>
      window.harness.send({
        type: 'hydrate',
        documentUri: 'file:///other.ce.json',
        fileName: 'other.ce.json',
        state: { title: '', dtype: 'float32', fileError: null, cells: [], finished: false, cancelled: false },
        settings: { liveUpdate: true },
      }),
    );
    await page.waitForFunction(() => window.harness.savedState()?.documentUri === 'file:///other.ce.json');
    await expect(page.locator('.notice').textContent()).resolves.toBe('');
    await expect(page.locator('.notice').isVisible()).resolves.toBe(false);
    // A notice (a worker restarted) goes when the next run starts, a run of one cell too.
    await page.evaluate(() => window.harness.send({ type: 'notice', level: 'error', message: 'The engine worker crashed' }));
    await expect(page.locator('.notice').textContent()).resolves.toContain('crashed');
    await page.evaluate(() =>
      window.harness.send({ type: 'events', documentUri: 'file:///other.ce.json', events: [{ kind: 'cell-started', index: 0, id: 'a' }] }),
    );
    await page.waitForFunction(() => document.querySelector('.notice')?.textContent === '');
    await page.close();
  });

  it('shows a training cell as stopped when its run is cancelled', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/test/webview/harness.html`);
    await page.evaluate(() => window.harness.ready);
    const events: EngineEvent[] = [
      { kind: 'scenario', title: 't', dtype: 'float32', cells: [{ index: 0, id: 'long', type: 'train' }] },
      { kind: 'cell-started', index: 0, id: 'long' },
      { kind: 'train-progress', index: 0, id: 'long', done: 2, steps: 100, losses: [0.7, 0.6], accuracy: [0.5, 0.75], boundary: null },
    ];
    await replay(page, events);
    await expect(page.getByTestId('status-long').textContent()).resolves.toBe('running…');
    await page.evaluate(() =>
      window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: [{ kind: 'done', cancelled: true }] }),
    );
    await page.waitForFunction(() => document.querySelector('[data-testid="status-long"]')?.textContent === 'stopped');
    await expect(page.getByTestId('train-status-long').textContent()).resolves.not.toContain('running');
    await page.close();
  });

  it('keeps a re-running training the same height: its last final probabilities stay, marked stale, until the new ones', async () => {
    const events = fixture('gallery.json');
    const { page } = await openPanel(events);
    const blobs = page.getByTestId('cell-blobs');
    const below = page.getByTestId('cell-bad-target');
    const final = blobs.locator('figure', { hasText: 'Final probabilities' });
    await final.waitFor();
    const before = { height: (await blobs.boundingBox())!.height, below: (await below.boundingBox())!.y };
    const scenario = events.find((e) => e.kind === 'scenario')!;
    const result = events.find((e) => e.kind === 'cell-result' && e.index === 8)!;
    // The training runs again (an edit above it): a new run starts, its first progress has no final result yet.
    await page.evaluate((evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs }), [
      scenario,
      { kind: 'cell-started', index: 8, id: 'blobs' },
    ] as unknown[]);
    await page.waitForFunction(() => document.querySelector('[data-testid="status-blobs"]')?.textContent === 'running…');
    await expect(final.getAttribute('class')).resolves.toContain('stale');
    await expect(blobs.boundingBox().then((b) => b!.height)).resolves.toBe(before.height);
    await expect(below.boundingBox().then((b) => b!.y)).resolves.toBe(before.below);
    await page.evaluate((evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs }), [result] as unknown[]);
    await page.waitForFunction(() => !document.querySelector('[data-testid="cell-blobs"] figure.stale'));
    await page.close();
  });

  it('takes a thinned long training from a hydrate and goes on with the stream', async () => {
    const page = await browser.newPage();
    // The panel's clock, so that its once-a-second table refresh is due without waiting a second.
    await page.clock.install();
    await page.goto(`${server.url}/test/webview/harness.html`);
    await page.evaluate(() => window.harness.ready);
    await page.evaluate(() => {
      const header = { index: 0, id: 'long', type: 'train' };
      // Steps 0..9 and then every 1000th up to 199,999, as the host keeps a long run (core/trainThinning.ts).
      const at = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 200 }, (_, i) => 999 + 1000 * i)];
      const train = { done: 200_000, steps: 1_000_000, losses: at.map((s) => 1 / (1 + s)), accuracy: at.map(() => 0.5), at, boundary: null };
      const state = { title: 't', dtype: 'float32', kernels: null, fileError: null, finished: false, cancelled: false };
      window.harness.send({
        type: 'hydrate',
        documentUri: 'file:///test.ce.json',
        fileName: 'test.ce.json',
        settings: { liveUpdate: true },
        state: { ...state, cells: [{ header, status: 'running', result: null, sweep: null, train }] },
      });
      window.harness.send({
        type: 'events',
        documentUri: 'file:///test.ce.json',
        events: [
          { kind: 'train-progress', index: 0, id: 'long', done: 200_002, steps: 1_000_000, losses: [0.25, 0.125], accuracy: [1, 1], boundary: null },
        ],
      });
    });
    await page.waitForFunction(() =>
      /^step 200002 \/ 1000000 · loss 0\.125/.test(document.querySelector('[data-testid="train-status-long"]')?.textContent ?? ''),
    );
    // The table lists the kept steps by their own step numbers (refreshed at most once a second, on progress).
    await page.clock.runFor(1100);
    await page.evaluate(() =>
      window.harness.send({
        type: 'events',
        documentUri: 'file:///test.ce.json',
        events: [{ kind: 'train-progress', index: 0, id: 'long', done: 200_003, steps: 1_000_000, losses: [0.1], accuracy: [1], boundary: null }],
      }),
    );
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="curves-table-long"] tbody th').length > 12);
    const steps = await page.locator('[data-testid="curves-table-long"] tbody th').allTextContents();
    expect(steps.slice(9, 12)).toEqual(['9', '999', '1999']);
    await page.close();
  });

  /** A panel showing one training, `long`, started. */
  async function trainingPanel(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.url}/test/webview/harness.html`);
    await page.evaluate(() => window.harness.ready);
    await replay(page, [
      { kind: 'scenario', title: 't', dtype: 'float32', cells: [{ index: 0, id: 'long', type: 'train' }] },
      { kind: 'cell-started', index: 0, id: 'long' },
    ]);
    return page;
  }

  it('answers an events batch with `drawn` once it is on screen (the host sends the next batch only then)', async () => {
    const page = await trainingPanel();
    // What the panel shows at the moment it says `drawn`.
    const shownAtAck = page.evaluate(
      () =>
        new Promise<[number, string]>((resolve) => {
          window.harness.onPost = (m) => {
            if (m.type === 'drawn' && m.seq === 41) resolve([m.seq, document.querySelector('[data-testid="status-long"]')?.textContent ?? '']);
          };
        }),
    );
    await page.evaluate(() =>
      window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: [{ kind: 'done', cancelled: true }], seq: 41 }),
    );
    await expect(shownAtAck).resolves.toEqual([41, 'stopped']);
    await page.close();
  });

  it("draws a run's end (Stop's answer) in the message handler, without waiting for an animation frame", async () => {
    const page = await trainingPanel();
    await page.getByTestId('status-long').waitFor({ state: 'attached' });
    // From here no animation frame comes: only what is drawn outside one reaches the screen.
    await page.evaluate(() => (window.requestAnimationFrame = () => 0));
    const drawn = (seq: number) => page.waitForFunction((s) => window.harness.posted.some((m) => m.type === 'drawn' && m.seq === s), seq);
    const status = () => page.getByTestId('status-long').textContent();
    const send = (events: EngineEvent[], seq: number) =>
      page.evaluate(({ events, seq }) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events, seq }), {
        events: events as unknown,
        seq,
      });
    await send([{ kind: 'train-progress', index: 0, id: 'long', done: 10, steps: 100, losses: [0.5], accuracy: [1], boundary: null }], 51);
    await send([{ kind: 'done', cancelled: true }], 52);
    await drawn(52);
    expect(await status()).toBe('stopped');
    // The batch before it, waiting for a frame, was drawn with it.
    await drawn(51);
    await page.close();
  });

  it('opened on finished results, puts the numbers on screen before building the charts, then builds them all', async () => {
    const state = emptyRunState();
    for (const event of fixture('sorix.json')) applyEvent(state, event);
    const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    await page.goto(`${server.url}/test/webview/harness.html`);
    await page.evaluate(() => window.harness.ready);
    const chartsAtFirstNumbers = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          // Called right after the task that put the loss in the DOM: how many canvases have a chart by then.
          const watch = new MutationObserver(() => {
            if (!document.querySelector('[data-testid="loss-two-samples"]')?.textContent) return;
            watch.disconnect();
            resolve([...document.querySelectorAll('canvas')].filter((c) => '$chartjs' in c).length);
          });
          watch.observe(document.body, { subtree: true, childList: true, characterData: true });
        }),
    );
    await page.evaluate(
      (state) =>
        window.harness.send({
          type: 'hydrate',
          documentUri: 'file:///test.ce.json',
          fileName: 'test.ce.json',
          state,
          settings: { liveUpdate: true },
        }),
      state as unknown,
    );
    expect(await chartsAtFirstNumbers).toBe(0);
    expect(await page.getByTestId('loss-two-samples').textContent()).toContain('0.2159');
    // Then, a few a frame, every figure's chart (Chart.js marks a canvas it has taken).
    await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => '$chartjs' in c));
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(4);
    await page.close();
  });

  it('follows a theme switch: chart backgrounds take the new editor background', async () => {
    const { page } = await openPanel(fixture('sorix.json'), 'light');
    const corner = () =>
      page
        .getByTestId('cell-two-samples')
        .locator('canvas')
        .first()
        .evaluate((c: HTMLCanvasElement) => [...c.getContext('2d')!.getImageData(1, 1, 1, 1).data.slice(0, 3)]);
    expect(await corner()).toEqual([255, 255, 255]);
    await page.evaluate(() => window.harness.setTheme('dark'));
    await expect.poll(corner).toEqual([0x1e, 0x1e, 0x1e]);
    await page.close();
  });

  it('screenshot-only (test-artifacts/webview): every cell type in all four themes, every chart drawn', async () => {
    const events = fixture('gallery.json');
    const cells = (events[0] as Extract<EngineEvent, { kind: 'scenario' }>).cells.map((c) => c.id);
    const { page, errors } = await openPanel(events, THEMES[0]);
    for (const theme of THEMES) {
      // Switched live, as VS Code does, so the screenshots also cover the theme observer.
      await page.evaluate((t) => window.harness.setTheme(t), theme);
      await themeDrawn(page);
      mkdirSync(join(ARTIFACTS, theme), { recursive: true });
      for (const id of cells) await page.getByTestId(`cell-${id}`).screenshot({ path: join(ARTIFACTS, theme, `${id}.png`) });
      // What a screenshot can show: each visible canvas has pixels other than its background (its corner pixel).
      const blank = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')]
          .filter((c) => c.width > 0 && c.height > 0 && c.offsetParent !== null)
          .filter((c) => {
            const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return false;
            return true;
          })
          .map((c) => c.closest('[data-testid^="cell-"]')?.getAttribute('data-testid') ?? c.outerHTML.slice(0, 80)),
      );
      expect(blank, `blank canvases in the ${theme} theme`).toEqual([]);
    }
    const drawn = await page.evaluate(() => [...document.querySelectorAll('canvas')].filter((c) => c.offsetParent !== null).length);
    expect(drawn).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('updates in place: a re-run keeps the cells, the bars, the sliders and the canvases (same DOM nodes) and the focus', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    const selectors = [
      '[data-testid="cell-two-samples"]',
      '[data-testid="logit-two-samples-0-1"]',
      '[data-testid="knob-temperature-two-samples"]',
      '[data-testid="cell-two-samples"] canvas',
      '[data-testid="cell-linear-sgd"] canvas',
    ];
    await page.evaluate((sel) => (window.kept = sel.map((s) => document.querySelector(s)!)), selectors);
    await page.getByTestId('logit-two-samples-0-1').focus();
    // The host's next run: a scenario event (every cell pending) and the results again.
    await page.evaluate(
      (evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs, seq: 79 }),
      fixture('sorix.json') as unknown,
    );
    await page.waitForFunction(() => window.harness.posted.some((m) => m.type === 'drawn' && m.seq === 79));
    const same = await page.evaluate((sel) => sel.map((s, i) => document.querySelector(s) === window.kept![i]), selectors);
    expect(same).toEqual(selectors.map(() => true));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('logit-two-samples-0-1');
    await page.close();
  });

  it('redraws only the cells a re-run changed: a drag re-runs the whole scenario, the finished training stays untouched', async () => {
    const events = fixture('sorix.json');
    const { page } = await openPanel(events);
    // Every DOM change in each cell from here on.
    await page.evaluate(() => {
      const counts: Record<string, number> = {};
      for (const cell of document.querySelectorAll<HTMLElement>('[data-cell-id]')) {
        const id = cell.dataset.cellId!;
        counts[id] = 0;
        new MutationObserver((records) => (counts[id] += records.length)).observe(cell, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      }
      (window as unknown as { mutations: Record<string, number> }).mutations = counts;
    });
    // The host's next run, as one batch: every cell pending again, then the same results except the loss cell's.
    const rerun = structuredClone(events);
    const loss = rerun.find((e) => e.kind === 'cell-result' && e.index === 1);
    if (loss?.kind !== 'cell-result' || !loss.result.ok || loss.result.type !== 'loss') throw new Error('no loss result in the fixture');
    loss.result.loss = 0.5;
    const drawn = page.evaluate(
      () => new Promise<void>((resolve) => (window.harness.onPost = (m) => m.type === 'drawn' && m.seq === 77 && resolve())),
    );
    await page.evaluate(
      (evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs, seq: 77 }),
      rerun as unknown,
    );
    await drawn;
    expect(await page.getByTestId('loss-two-samples').textContent()).toMatch(/^0\.5/);
    const mutations = await page.evaluate(() => (window as unknown as { mutations: Record<string, number> }).mutations);
    expect(mutations['two-samples']).toBeGreaterThan(0);
    expect({ intro: mutations.intro, 'linear-sgd': mutations['linear-sgd'] }).toEqual({ intro: 0, 'linear-sgd': 0 });
    await page.close();
  });

  it('while a bar is held, a chart out of view keeps its picture until the release; the one in view follows every answer', async () => {
    const events = fixture('sorix.json');
    const { page } = await openPanel(events, 'dark', 600);
    const pictures = () =>
      page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="cell-two-samples"] canvas')].map((c) => c.toDataURL()));
    const [probsTop, gradTop] = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="cell-two-samples"] canvas')].slice(0, 2).map((c) => c.getBoundingClientRect().top),
    );
    expect(probsTop).toBeLessThan(900);
    expect(gradTop).toBeGreaterThan(900); // the gradient chart is below the fold
    const before = await pictures();
    // A re-run with other probabilities and gradients arrives while the bar is held.
    const rerun = structuredClone(events);
    const loss = rerun.find((e) => e.kind === 'cell-result' && e.index === 1);
    if (loss?.kind !== 'cell-result' || !loss.result.ok || loss.result.type !== 'loss' || !loss.result.view.rows) throw new Error('no loss rows');
    const rows = loss.result.view.rows;
    rows.probs = rows.probs.map((row) => [...row].reverse());
    rows.grad = rows.grad.map((row) => row.map((g) => -g));
    const box = (await page.getByTestId('logit-two-samples-0-1').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 4);
    const drawn = (seq: number) =>
      page.evaluate((seq) => new Promise<void>((resolve) => (window.harness.onPost = (m) => m.type === 'drawn' && m.seq === seq && resolve())), seq);
    const held = drawn(78);
    await page.evaluate(
      (evs) => window.harness.send({ type: 'events', documentUri: 'file:///test.ce.json', events: evs, seq: 78 }),
      rerun as unknown,
    );
    await held;
    const during = await pictures();
    expect([during[0] !== before[0], during[1] === before[1]]).toEqual([true, true]);
    await page.mouse.up();
    const after = await pictures();
    expect(after[1]).not.toBe(before[1]);
    await page.close();
  });

  /**
   * Drags from `from` to `to` as a hand would: one pointer move per animation frame of the page, `frames` of them
   * (120 is about 2 s). Returns how many frames the page drew while the button was held and the re-runs that had
   * arrived by the release.
   */
  async function slowDrag(
    page: Page,
    from: { x: number; y: number },
    to: { x: number; y: number },
    frames: number,
  ): Promise<{ frames: number; reruns: number }> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.evaluate(() => {
      const held = { frames: 0, on: true };
      const tick = () => {
        if (!held.on) return;
        held.frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      (window as unknown as { held: typeof held }).held = held;
    });
    for (let i = 1; i <= frames; i++) {
      await page.mouse.move(from.x + ((to.x - from.x) * i) / frames, from.y + ((to.y - from.y) * i) / frames);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    }
    const during = await page.evaluate(() => {
      const held = (window as unknown as { held: { frames: number; on: boolean } }).held;
      held.on = false;
      return { frames: held.frames, reruns: window.harness.reruns };
    });
    await page.mouse.up();
    return during;
  }

  it('a 2 s drag of a logit bar, with re-runs arriving all through it, follows the pointer and ends at the value under it', async () => {
    const events = fixture('sorix.json');
    const { page, errors } = await openPanel(events, 'dark', 600); // as wide as a panel beside an editor
    await page.evaluate((evs) => window.harness.answerEdits(evs as EngineEvent[]), events as unknown);
    const bar = page.getByTestId('logit-two-samples-0-1'); // "dog" of sample 0, written as 1.0
    const extent = Number(await bar.getAttribute('aria-valuemax'));
    const box = (await bar.boundingBox())!;
    const yOf = (z: number) => box.y + box.height * (0.5 - z / (2 * extent));
    const x = box.x + box.width / 2;
    // Nothing may move the bar under the hand: watch its position on every frame of the drag.
    await page.evaluate(() => {
      const track = document.querySelector('[data-testid="logit-two-samples-0-1"]')!;
      const tops = new Set<number>();
      const watch = () => {
        tops.add(Math.round(track.getBoundingClientRect().top));
        if (tops.size < 100) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      (window as unknown as { tops: Set<number> }).tops = tops;
    });
    const drag = await slowDrag(page, { x, y: yOf(1) }, { x, y: yOf(4.6) }, 120);
    // The button was held through 120 of the page's frames, and the engine's answers arrived before the release.
    expect(drag.frames).toBeGreaterThanOrEqual(120);
    expect(drag.reruns).toBeGreaterThanOrEqual(10);
    await settled(page);
    expect(await page.evaluate(() => [...(window as unknown as { tops: Set<number> }).tops])).toEqual([Math.round(box.y)]);
    const edits = (await posted(page)).filter(isEdit);
    const reruns = await page.evaluate(() => window.harness.reruns);
    // The engine answered many times mid-drag (each answer re-renders the panel), and the drag never broke off:
    expect(reruns).toBeGreaterThanOrEqual(10);
    expect(edits.filter((m) => m.transient).length).toBeGreaterThanOrEqual(10);
    expect(edits.map((m) => m.transient)).toEqual([...edits.slice(0, -1).map(() => true), false]);
    expect(edits.at(-1)!.value).toBe(4.6);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(4.6);
    // Transient values rise with the hand all the way (no jump back to an answered value).
    const values = edits.map((m) => m.value as number);
    values.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(values[i]));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a 2 s drag of the smoothing and temperature sliders, with re-runs mid-drag, ends at the value under the pointer', async () => {
    const events = fixture('sorix.json');
    const { page } = await openPanel(events);
    await page.evaluate((evs) => window.harness.answerEdits(evs as EngineEvent[]), events as unknown);
    for (const [name, aim] of [
      ['label_smoothing', 0.5],
      ['temperature', 2.5],
    ] as const) {
      const knob = page.getByTestId(`knob-${name}-two-samples`);
      const box = (await knob.boundingBox())!;
      // Chromium's range maps the thumb's centre, inset by half a (16 px) thumb at each end.
      const fraction = name === 'temperature' ? Math.log(aim / 0.05) / Math.log(100) : aim;
      const xOf = (f: number) => box.x + 8 + (box.width - 16) * f;
      const before = (await posted(page)).length;
      await slowDrag(
        page,
        { x: xOf(name === 'temperature' ? 0.5 : 0), y: box.y + box.height / 2 },
        { x: xOf(fraction), y: box.y + box.height / 2 },
        120,
      );
      await settled(page);
      const edits = (await posted(page)).slice(before).filter(isEdit);
      expect(edits.filter((m) => m.transient).length).toBeGreaterThanOrEqual(10);
      const final = edits.at(-1)!;
      expect(final.transient).toBe(false);
      expect(Math.abs((final.value as number) - aim) / aim).toBeLessThan(0.015);
      // What the knob shows is what went to the document.
      const shown = (await knob.getAttribute('aria-valuetext'))!.replace('T = ', '');
      expect(Number(shown)).toBeCloseTo(final.value as number, 2);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`knob-${name}-two-samples`);
    }
    await page.close();
  });

  it('steps from the keyboard by 0.1 (bars, temperature) and 0.01 (smoothing), ten times with Shift or PageUp, keeping focus through re-runs', async () => {
    const events = fixture('sorix.json');
    const { page } = await openPanel(events);
    await page.evaluate((evs) => window.harness.answerEdits(evs as EngineEvent[]), events as unknown);
    const finals = async () =>
      (await posted(page))
        .filter(isEdit)
        .filter((m) => !m.transient)
        .map((m) => m.value);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    /** Presses `key`; each press is answered by a re-run before the next. */
    const press = async (key: string) => {
      await page.keyboard.press(key);
      await settled(page);
    };
    await page.getByTestId('logit-two-samples-0-1').focus();
    for (let i = 0; i < 5; i++) await press('ArrowUp');
    await press('Shift+ArrowDown');
    expect(await finals()).toEqual([1.1, 1.2, 1.3, 1.4, 1.5, 0.5]);
    expect(await focused()).toBe('logit-two-samples-0-1');

    await page.getByTestId('knob-label_smoothing-two-samples').focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp', 'PageUp', 'Shift+ArrowRight', 'ArrowLeft', 'End', 'Home']) await press(key);
    expect((await finals()).slice(6)).toEqual([0.01, 0.02, 0.03, 0.13, 0.23, 0.22, 1, 0]);
    expect(await focused()).toBe('knob-label_smoothing-two-samples');

    await page.getByTestId('knob-temperature-two-samples').focus();
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowLeft', 'PageDown']) await press(key);
    expect((await finals()).slice(14)).toEqual([1.1, 1, 0.9, 0.05]);
    expect(await focused()).toBe('knob-temperature-two-samples');
    await page.close();
  });

  it('Ctrl+Z and Ctrl+Shift+Z (and Cmd, and Ctrl+Y) in the panel ask the host to undo and redo', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    await page.getByTestId('logit-two-samples-0-1').focus();
    for (const key of ['Control+Z', 'Control+Shift+Z', 'Meta+Z', 'Meta+Shift+Z', 'Control+Y', 'Control+X']) await page.keyboard.press(key);
    expect((await posted(page)).filter((m) => m.type === 'undo' || m.type === 'redo').map((m) => m.type)).toEqual([
      'undo',
      'redo',
      'undo',
      'redo',
      'redo',
    ]);
    await page.close();
  });

  it("the host's focus request after an undo gives the keyboard back to the knob that had it, and replies", async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
    await page.getByTestId('knob-label_smoothing-two-samples').focus();
    await page.keyboard.press('Control+Z');
    // While the editor undoes, the page loses focus and Chromium forgets its focused element.
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    expect(await focused()).toBe('BODY');
    await page.evaluate(() => window.postMessage({ kind: 'request', id: 9999, method: 'focus', params: {} }, '*'));
    await page.waitForFunction(() => window.harness.posted.some((m) => m.type === 'drawn' && m.seq === 9999));
    expect(await focused()).toBe('knob-label_smoothing-two-samples');
    // The same when the focus lands through VS Code (the page's window gets focus) rather than by the request.
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.evaluate(() => window.dispatchEvent(new FocusEvent('focus')));
    expect(await focused()).toBe('knob-label_smoothing-two-samples');
    await page.close();
  });

  it('says where the document stops parsing and marks the results as from the last valid version', async () => {
    const { page } = await openPanel(fixture('sorix.json'));
    await page.evaluate(() =>
      window.harness.send({
        type: 'syntax',
        documentUri: 'file:///test.ce.json',
        error: { message: 'Expected comma', offset: 400, line: 17, column: 7 },
      }),
    );
    await page.getByTestId('parse-error').waitFor({ state: 'visible' });
    await expect(page.getByTestId('parse-error').textContent()).resolves.toContain('does not parse at line 17, column 7: Expected comma.');
    await expect(page.getByTestId('parse-error').textContent()).resolves.toContain('last version that parsed');
    await expect(page.locator('.cells').getAttribute('class')).resolves.toContain('stale');
    // The numbers are still there (from the last valid version).
    expect(Number(await page.getByTestId('loss-two-samples').textContent())).toBeCloseTo(0.2159, 4);
    await page.evaluate(() => window.harness.send({ type: 'syntax', documentUri: 'file:///test.ce.json', error: null }));
    await page.waitForFunction(() => document.querySelector('[data-testid="parse-error"]')?.hasAttribute('hidden'));
    await expect(page.locator('.cells').getAttribute('class')).resolves.not.toContain('stale');
    await page.close();
  });

  /** WCAG 2 contrast, written out here rather than taken from the panel's own code. */
  function wcagContrast(a: number[], b: number[]): number {
    const lum = (c: number[]) => {
      const [r, g, bl] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }

  it('draws every series with at least 3:1 contrast against the panel in every built-in theme', async () => {
    const { page } = await openPanel(fixture('gallery.json'));
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    for (const theme of ALL_THEMES) {
      await page.evaluate((t) => window.harness.setTheme(t), theme);
      await themeDrawn(page);
      const { swatches, backgrounds } = await page.evaluate(() => ({
        swatches: [...document.querySelectorAll('[data-testid="cell-six-classes"] .logit-key i')].map((i) => getComputedStyle(i).backgroundColor),
        backgrounds: [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('.cell-loss')!).backgroundColor],
      }));
      expect(swatches.length).toBe(6);
      for (const swatch of swatches) {
        expect(swatch, `${theme}: ${swatch} is not opaque`).toMatch(/^rgb\(/);
        for (const bg of backgrounds) expect(wcagContrast(rgb(swatch), rgb(bg)), `${theme}: ${swatch} on ${bg}`).toBeGreaterThanOrEqual(3);
      }
      // A chart's pixels carry the same colours: the first bar of the probabilities chart is class a's.
      mkdirSync(join(ARTIFACTS, 'all-themes'), { recursive: true });
      await page.getByTestId('cell-six-classes').screenshot({ path: join(ARTIFACTS, 'all-themes', `${theme}.png`) });
    }
    await page.close();
  });

  it('fits a 320 px wide panel without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 900 } });
    await page.goto(`${server.url}/test/webview/harness.html?theme=dark`);
    await page.evaluate(() => window.harness.ready);
    await replay(page, fixture('gallery.json'));
    await page.waitForFunction(() => document.querySelectorAll('.placeholder:not([hidden])').length === 0);
    // Once the charts have taken the narrow width, nothing sticks out.
    const overflow = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        // Anything drawn past the right edge (clipped or not) is cut off for the reader.
        wide: [...document.querySelectorAll<HTMLElement>('.cells *')]
          .filter(
            (e) =>
              e.getClientRects().length &&
              !e.closest('.visually-hidden, .data-table') &&
              e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5,
          )
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
          .slice(0, 5),
      }));
    await expect.poll(overflow).toEqual({ page: 0, wide: [] });
    mkdirSync(join(ARTIFACTS, 'narrow-320'), { recursive: true });
    const cells = (fixture('gallery.json')[0] as Extract<EngineEvent, { kind: 'scenario' }>).cells.map((c) => c.id);
    for (const id of cells) await page.getByTestId(`cell-${id}`).screenshot({ path: join(ARTIFACTS, 'narrow-320', `${id}.png`) });
    await page.close();
  });

  it('keeps a 300-class table to the target and most probable classes (numbers as the full result has them)', async () => {
    const events = fixture('gallery.json');
    const { page } = await openPanel(events);
    const table = await tableNumbers(page, 'probs-table-wide');
    expect(table.header).toEqual(['element', 'target', 'P(target)', 'Y(target)', 'most probable', 'P(most probable)', 'top 5 (P)']);
    // The panel got only the engine's per-element summary; the full N×C probabilities come from the engine's document.
    const cells = await cliCells(readFileSync(join(repoRoot, 'test/webview/fixtures/gallery.ce.json'), 'utf8'));
    const probs = cells.find((c) => c.id === 'wide')!.probs as number[][];
    [5, 299, 0].forEach((t, n) => {
      const p = probs[n];
      const top = p.indexOf(Math.max(...p));
      expect(table.rows[n].slice(1, 2)).toEqual([String(t)]);
      expect(Number(table.rows[n][2])).toBeCloseTo(p[t], 5);
      expect(Number(table.rows[n][3])).toBe(1);
      expect(table.rows[n][4]).toBe(String(top));
      expect(Number(table.rows[n][5])).toBeCloseTo(p[top], 5);
      const five = p
        .map((v, c) => [v, c])
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .slice(0, 5);
      const listed = [...table.rows[n][6].matchAll(/(\d+) \(([^)]+)\)/g)];
      expect(listed.map((m) => Number(m[1]))).toEqual(five.map(([, c]) => c));
      listed.forEach((m, i) => expect(Number(m[2])).toBeCloseTo(five[i][0], 4));
    });
    // Without class names, the most-confused list calls a class by its index.
    const confused = await page.getByTestId('cell-wide').locator('.confusion li').allTextContents();
    const wrong = [5, 299, 0].flatMap((t, n) => {
      const top = probs[n].indexOf(Math.max(...probs[n]));
      return top === t ? [] : [`class ${t} predicted as class ${top}: 1×`];
    });
    expect(confused.sort()).toEqual(wrong.sort());
    await page.close();
  });
});

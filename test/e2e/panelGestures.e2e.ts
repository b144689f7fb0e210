// The panel as an instrument, in a real VS Code (code-server driven by
// headless Chromium): drags that last 2 s while the engine re-runs underneath
// them, one undo step per gesture (from the editor and from the panel),
// keyboard stepping that keeps focus, series contrast in every built-in theme,
// and screenshots of every example in four themes and at 320 px.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrast, parseCanvasColor, type Rgb } from '../../webview/colors';
import { ROOT, numbers, sorixMeanCe } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { ARTIFACTS, openFile, openVisualizerLens, panelFrame, runCommand, screenshot, typeInCommandPalette, waitForText } from './workbench';

const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.ce.json'));

/** VS Code's built-in themes, as "Preferences: Color Theme" lists them. */
const THEMES = ['Light Modern', 'Dark Modern', 'Light 2026', 'Dark 2026', 'Light+', 'Dark+', 'Dark High Contrast', 'Light High Contrast'];
const SCREENSHOT_THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'];

const slug = (s: string) => s.replace(/\W+/g, '-').toLowerCase();

describe('panel gestures in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  useWorkbench({ name: 'gestures', ready: (p) => (page = p) });

  const editorLines = () => page.locator('.editor-group-container .monaco-editor .view-lines').first();
  /** The editor's text as shown (no wrapping issue: sorix's lines are short). */
  const editorText = async () => ((await editorLines().innerText()) ?? '').replace(/\u00a0/g, ' ');
  const lossOf = '[data-testid="loss-two-samples"]';

  /** Moves the mouse from `from` to `to` over `ms` milliseconds in ~16 ms steps, as a hand would. */
  async function drag(from: { x: number; y: number }, to: { x: number; y: number }, ms: number): Promise<void> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    const steps = Math.round(ms / 16);
    const t0 = Date.now();
    for (let i = 1; i <= steps; i++) {
      const f = i / steps;
      await page.mouse.move(from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f);
      const wait = t0 + i * 16 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
    }
    await page.mouse.up();
  }

  async function setTheme(theme: string): Promise<void> {
    const input = await typeInCommandPalette(page, '>Preferences: Color Theme');
    // Exactly this command (not "Browse Color Themes in Marketplace").
    await page
      .locator('.quick-input-list .monaco-list-row .label-name')
      .filter({ hasText: /^Preferences: Color Theme$/ })
      .first()
      .click();
    await page.waitForTimeout(300);
    await input.fill(theme);
    await page
      .locator('.quick-input-list .monaco-list-row .label-name')
      .filter({ hasText: new RegExp(`^${theme.replace(/\+/g, '\\+')}$`) })
      .first()
      .click();
    // VS Code puts the theme's kind on the webview's <body> (with its variables on <html>).
    const kind = theme.includes('High Contrast')
      ? theme.startsWith('Light')
        ? 'vscode-high-contrast-light'
        : 'vscode-high-contrast'
      : theme.startsWith('Light')
        ? 'vscode-light'
        : 'vscode-dark';
    const deadline = Date.now() + 20_000;
    let classes = '';
    while (Date.now() < deadline) {
      panel = await panelFrame(page);
      classes = await panel.evaluate(() => document.body.className).catch(() => '');
      const list = classes.split(/\s+/);
      if (list.includes(kind) && (kind !== 'vscode-high-contrast' || !list.includes('vscode-high-contrast-light'))) {
        await page.waitForTimeout(800); // the rest of the workbench repaints
        return;
      }
      await page.waitForTimeout(250);
    }
    throw new Error(`theme ${theme}: the panel's body has classes "${classes}", not ${kind}`);
  }

  beforeAll(async () => {
    await openFile(page, 'sorix.ce.json');
    const lens = openVisualizerLens(page);
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    panel = await panelFrame(page);
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
  });

  /** Undo with focus in the editor, until `gone` no longer appears; returns how many Ctrl+Z it took. */
  async function undoInEditor(done: () => Promise<boolean>): Promise<number> {
    await editorLines().click();
    for (let presses = 1; presses <= 10; presses++) {
      await page.keyboard.press('Control+Z');
      await page.waitForTimeout(400);
      if (await done()) return presses;
    }
    return Infinity;
  }

  it('a 2 s drag of the "dog" bar ends at the value under the pointer; one Ctrl+Z in the editor undoes it', async () => {
    const bar = panel.locator('[data-testid="logit-two-samples-0-1"]');
    const extent = Number(await bar.getAttribute('aria-valuemax'));
    const box = (await bar.boundingBox())!;
    const yOf = (z: number) => box.y + box.height * (0.5 - z / (2 * extent));
    const x = box.x + box.width / 2;
    const t0 = Date.now();
    await drag({ x, y: yOf(1.0) }, { x, y: yOf(4.6) }, 2000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    // Nothing above the bar may have moved it while the hand was on it.
    const after = (await bar.boundingBox())!;
    const context = await panel.evaluate(() => ({
      scrollY: window.scrollY,
      notice: document.querySelector('.notice')?.textContent ?? '',
      value: document.querySelector('[data-testid="logit-two-samples-0-1"]')?.getAttribute('aria-valuenow'),
    }));
    expect({ y: after.y, height: after.height }, JSON.stringify(context)).toEqual({ y: box.y, height: box.height });
    // The document (source of truth) has the value under the pointer; the panel's loss is computed from it.
    await page.locator('.view-line', { hasText: '[[2.0, 4.6, 0.1]' }).first().waitFor({ timeout: 10_000 });
    await waitForText(panel, lossOf, (t) => numbers(t).includes(sorixMeanCe([2, 4.6, 0.1])));
    expect(await bar.getAttribute('aria-valuenow')).toBe('4.6');
    await screenshot(page, 'gestures-01-logit-drag');
    const presses = await undoInEditor(async () => (await editorText()).includes('[[2.0, 1.0, 0.1]'));
    expect(presses).toBe(1);
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
  });

  /** The value of a range input under a client x: Chromium maps the thumb's centre, inset by half a thumb. */
  async function sliderX(testId: string, fraction: number): Promise<{ x: number; y: number }> {
    const box = (await panel.locator(`[data-testid="${testId}"]`).boundingBox())!;
    const thumb = 16;
    return { x: box.x + thumb / 2 + (box.width - thumb) * fraction, y: box.y + box.height / 2 };
  }

  it('a 2 s drag of label smoothing ends at the value under the pointer; Ctrl+Z in the panel undoes it in one step, Ctrl+Shift+Z redoes it', async () => {
    const id = 'knob-label_smoothing-two-samples';
    await drag(await sliderX(id, 0), await sliderX(id, 0.5), 2000);
    const knob = panel.locator(`[data-testid="${id}"]`);
    const shown = Number(await knob.getAttribute('aria-valuetext'));
    expect(Math.abs(shown - 0.5)).toBeLessThanOrEqual(0.01);
    await page
      .locator('.view-line', { hasText: `"label_smoothing": ${shown}` })
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(id);
    await screenshot(page, 'gestures-02-smoothing-drag');
    // Focus is in the panel: its Ctrl+Z undoes the whole drag at once.
    await page.keyboard.press('Control+Z');
    await expect.poll(async () => (await editorText()).includes('label_smoothing'), { timeout: 10_000 }).toBe(false);
    await waitForText(panel, lossOf, (t) => numbers(t).includes('0.2159'));
    await expect.poll(() => panel.evaluate(() => document.hasFocus()), { timeout: 5000 }).toBe(true);
    // The knob that had the keyboard has it again.
    expect(await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(id);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(async () => (await editorText()).includes(`"label_smoothing": ${shown}`), { timeout: 10_000 }).toBe(true);
    const presses = await undoInEditor(async () => !(await editorText()).includes('label_smoothing'));
    expect(presses).toBe(1);
  });

  it('a 2 s drag of temperature ends at the value under the pointer', async () => {
    const id = 'knob-temperature-two-samples';
    // The slider is logarithmic from 0.05 to 5: 2.5 sits at log(2.5/0.05)/log(100) of its width.
    const at = (t: number) => Math.log(t / 0.05) / Math.log(100);
    await drag(await sliderX(id, at(1)), await sliderX(id, at(2.5)), 2000);
    const shown = Number((await panel.locator(`[data-testid="${id}"]`).getAttribute('aria-valuetext'))!.replace('T = ', ''));
    expect(Math.abs(shown - 2.5) / 2.5).toBeLessThan(0.02);
    await page
      .locator('.view-line', { hasText: `"temperature": ${shown}` })
      .first()
      .waitFor({ timeout: 10_000 });
    // Loss at temperature T is the cross-entropy of z / T.
    await waitForText(panel, lossOf, (t) => numbers(t).includes(sorixMeanCe([2, 1, 0.1], shown)));
    await screenshot(page, 'gestures-03-temperature-drag');
    expect(await undoInEditor(async () => !(await editorText()).includes('temperature'))).toBe(1);
  });

  it('arrow keys step a focused bar by 0.1 and smoothing by 0.01, keeping focus', async () => {
    const bar = panel.locator('[data-testid="logit-two-samples-0-1"]');
    await bar.focus();
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowUp');
      await page.waitForTimeout(150); // the host re-runs between presses
    }
    await page.locator('.view-line', { hasText: '[[2.0, 1.5, 0.1]' }).first().waitFor({ timeout: 10_000 });
    await waitForText(panel, lossOf, (t) => numbers(t).includes(sorixMeanCe([2, 1.5, 0.1])));
    expect(await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('logit-two-samples-0-1');
    const knob = panel.locator('[data-testid="knob-label_smoothing-two-samples"]');
    await knob.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.locator('.view-line', { hasText: '"label_smoothing": 0.03' }).first().waitFor({ timeout: 10_000 });
    expect(await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('knob-label_smoothing-two-samples');
    await page.keyboard.press('Shift+ArrowRight');
    await page.locator('.view-line', { hasText: '"label_smoothing": 0.13' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'gestures-04-keyboard');
    // Each key press is one gesture: four presses on smoothing, five on the bar.
    const presses = await undoInEditor(
      async () => (await editorText()).includes('[[2.0, 1.0, 0.1]') && !(await editorText()).includes('label_smoothing'),
    );
    expect(presses).toBe(9);
  });

  /** Every series colour the panel draws (the logit legend's swatches) against the panel's background. */
  async function seriesContrast(): Promise<{ colors: string[]; background: string; worst: number }> {
    const { colors, background } = await panel.evaluate(() => ({
      colors: [...document.querySelectorAll<HTMLElement>('.logit-key i')].map((i) => getComputedStyle(i).backgroundColor),
      background: getComputedStyle(document.body).backgroundColor,
    }));
    const rgb = (c: string) => parseCanvasColor(c)!.slice(0, 3) as Rgb;
    return { colors, background, worst: Math.min(...colors.map((c) => contrast(rgb(c), rgb(background)))) };
  }

  it('every series has at least 3:1 contrast against the panel in every built-in theme', async () => {
    await openFile(page, 'sorix.ce.json');
    const vars: Record<string, Record<string, string>> = {};
    const report: Record<string, unknown> = {};
    for (const theme of THEMES) {
      await setTheme(theme);
      vars[theme] = await panel.evaluate(() => {
        const style = document.documentElement.style;
        const out: Record<string, string> = {};
        for (let i = 0; i < style.length; i++) if (style[i].startsWith('--vscode-')) out[style[i]] = style.getPropertyValue(style[i]).trim();
        return out;
      });
      const c = await seriesContrast();
      report[theme] = c;
      expect(c.colors.length, theme).toBe(3);
      expect(c.worst, `${theme}: ${c.colors.join(', ')} on ${c.background}`).toBeGreaterThanOrEqual(3);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'theme-vars.json'), JSON.stringify(vars, null, 1));
    writeFileSync(path.join(ARTIFACTS, 'theme-contrast.json'), JSON.stringify(report, null, 1));
  });

  /** A picture of the panel alone (its webview element). */
  async function panelShot(file: string): Promise<void> {
    mkdirSync(path.dirname(file), { recursive: true });
    const frame = page.locator('iframe.webview').first();
    await frame.screenshot({ path: file });
  }

  /** Opens an example and waits for its panel to settle (training examples stream first). */
  async function showExample(name: string): Promise<void> {
    await openFile(page, name);
    await page
      .locator('.tab', { hasText: 'CE Lab: ' + name })
      .first()
      .waitFor({ timeout: 15_000 });
    // Its own cells, all drawn: the panel has its title (it shows the example it last showed until then) and one
    // view per cell; none waits or runs. Each that runs is ok (the examples run clean); markdown has no status.
    const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', name), 'utf8')) as { title: string; cells: { type: string }[] };
    await panel.waitForFunction(
      ({ title, count }) =>
        document.querySelector('h1.doc-title')?.textContent === title &&
        document.querySelectorAll('[data-cell-id]').length === count &&
        document.querySelectorAll('.placeholder:not([hidden])').length === 0 &&
        !document.querySelector('.cell.running'),
      { title: example.title, count: example.cells.length },
      { timeout: 120_000 },
    );
    const statuses = await panel.locator('.cell-status').evaluateAll((all) => all.map((s) => (s as HTMLElement).dataset.status));
    expect(statuses, name).toEqual(example.cells.filter((c) => c.type !== 'markdown').map(() => 'ok'));
    await page.waitForTimeout(400);
  }

  it('"Open visualizer" on lm-logits (64 × 50,257 and a 21-point sweep) shows its numbers within seconds', async () => {
    // The panel gets each loss cell's bounded view (per-element summaries), not its 3 × 3.2 million probabilities.
    const lossLm = '[data-testid="loss-lm"]';
    const lens = openVisualizerLens(page);
    const ms: number[] = [];
    for (let i = 0; i < 4; i++) {
      await openFile(page, 'lm-logits.ce.json');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      // Clicking the middle of the lines may scroll the editor past its top line, and with it the lens out of view.
      await page.keyboard.press('Control+Home');
      await runCommand(page, 'View: Close Editors in Other Groups');
      await page.locator('.tab', { hasText: 'CE Lab:' }).first().waitFor({ state: 'detached', timeout: 60_000 });
      await lens.waitFor({ timeout: 60_000 });
      await page.waitForTimeout(300);
      const clicked = Date.now();
      await lens.click();
      // Until some frame shows the loss: polled as fast as the frames answer (the panel's frame does not exist yet).
      const deadline = clicked + 60_000;
      let shownAt = 0;
      while (!shownAt && Date.now() < deadline) {
        for (const frame of page.frames()) {
          const text = await frame.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', lossLm).catch(() => '');
          if (numbers(text).length > 0) [shownAt, panel] = [Date.now(), frame];
        }
      }
      expect(shownAt, 'the loss of lm-logits shown').toBeGreaterThan(0);
      ms.push(shownAt - clicked);
    }
    // The first open evaluates the document (worker warm); the others find its results in the host.
    console.log('lm-logits: "Open visualizer" → first numbers (ms):', ms.join(' '));
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'lm-logits-open.json'), JSON.stringify({ openToFirstNumbersMs: ms }, null, 2) + '\n');
    expect(Math.max(...ms)).toBeLessThan(20_000);
  }, 400_000);

  it('screenshots every example in Light Modern, Dark Modern and both high-contrast themes', async () => {
    await page.setViewportSize({ width: 1600, height: 2600 }); // a tall window shows most of each panel
    for (const theme of SCREENSHOT_THEMES) {
      await setTheme(theme);
      for (const name of EXAMPLES) {
        await showExample(name);
        await panelShot(path.join(ARTIFACTS, 'themes', slug(theme), `${name.replace('.ce.json', '')}.png`));
      }
    }
  }, 600_000); // 28 pictures, each after its run settles

  it('lays every example out in a 320 px wide panel without horizontal scrolling', async () => {
    await setTheme('Dark Modern');
    await runSidebarHidden();
    // The two editor groups share the window: size it until the panel is 320 px wide.
    let width = 1600;
    for (let i = 0; i < 4; i++) {
      const panelWidth = await panel.evaluate(() => document.documentElement.clientWidth);
      if (Math.abs(panelWidth - 320) <= 2) break;
      width -= 2 * (panelWidth - 320);
      await page.setViewportSize({ width, height: 2600 });
      await page.waitForTimeout(500);
    }
    expect(Math.abs((await panel.evaluate(() => document.documentElement.clientWidth)) - 320)).toBeLessThanOrEqual(4);
    for (const name of EXAMPLES) {
      await showExample(name);
      await panelShot(path.join(ARTIFACTS, 'narrow-320', `${name.replace('.ce.json', '')}.png`));
      const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
  });

  async function runSidebarHidden(): Promise<void> {
    if (await page.locator('.part.sidebar:visible').count()) await page.keyboard.press('Control+B');
    await page.waitForTimeout(300);
  }
});

// Driving the VS Code workbench in headless Chromium: commands, Quick Open,
// the panel's webview frame, and screenshots for a human to look at.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';

export const ARTIFACTS = path.resolve('test-artifacts', 'e2e');

export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  // The explorer appears once the folder is open and the workbench settled.
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * F1 and `text` typed into the command palette. A webview with focus can take the key (the palette's input then
 * stays inert): focus goes back to the active editor's tab and F1 is pressed again.
 */
export async function typeInCommandPalette(page: Page, text: string): Promise<Locator> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.fill(text, { timeout: 5_000 });
      return input;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.locator('.tab.active').first().click();
    }
  }
}

/** F1, the command's title, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // The command labelled `title` (or `title (…)`): the first row is not always it ("File: Save" also finds
  // "File: Save All", and a recently used command comes first).
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(.*\\))?$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  // Just after the workbench starts, the palette can open before the extensions' commands are registered, and
  // its list does not refresh: it is opened again until the command is listed.
  for (let attempt = 1; ; attempt++) {
    await typeInCommandPalette(page, `>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: attempt === 3 ? 15_000 : 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await row.click();
}

/** Clicks the row `label` of the open quick pick (e.g. a command's choices). */
export async function pickQuick(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/**
 * The "Open visualizer" CodeLens of the active editor. Scoped and visible: an editor left in the background keeps
 * its lenses in the DOM, hidden, and clicking the first of all of them would wait on a hidden one.
 */
export const openVisualizerLens = (page: Page): Locator =>
  page.locator('.editor-group-container.active .codelens-decoration a:visible', { hasText: 'Open visualizer' }).first();

/**
 * Quick Open (Ctrl+P) a workspace file by name; an already open one is brought back by its tab. It opens in the
 * first editor group (Ctrl+1): opened from the panel's group it would cover the panel.
 */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+1');
  const tab = page.locator('.tab', { hasText: name }).first();
  if (await tab.count()) {
    await tab.click();
    await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
    return;
  }
  await quickOpen(page, name);
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
}

/**
 * Quick Open (Ctrl+P) of a workspace file by name, in whatever editor VS Code picks for it; waits for its active tab.
 * Quick Open lists nothing until the workspace is indexed (slow on a busy machine): it is opened again until it lists
 * the file, for up to a minute.
 */
export async function quickOpen(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const listed = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (listed) break;
    if (Date.now() > deadline) throw new Error(`Quick Open did not list ${name} within a minute`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
}

/** Puts the cursor at line:column of the active editor (Ctrl+G). */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

/** Selects `length` characters from line:column and types `text` over them. */
export async function replaceAt(page: Page, line: number, column: number, length: number, text: string): Promise<void> {
  await goTo(page, line, column);
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(text);
}

/** The frame holding the CE Lab panel (webviews nest two iframes deep). */
export function panelFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return frameWith(
    page,
    '#app .doc-header',
    timeoutMs,
    () =>
      ` (the frames: ${page
        .frames()
        .map((f) => f.url())
        .join(', ')})`,
  );
}

/** Waits until the frame's element text (as rendered: table cells apart) satisfies `ok`; returns that text. */
export async function waitForText(frame: Frame, selector: string, ok: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last =
      (await frame
        .locator(selector)
        .first()
        .innerText({ timeout: 1000 })
        .catch(() => null)) ?? '';
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${selector}: text ${JSON.stringify(last)} never matched`);
}

/**
 * Waits until the element's text stops changing for `quietMs` (the panel may still be drawing a backlog); returns it.
 * A read that times out (the frame busy drawing) restarts the quiet time: it is no sign that the text stopped changing.
 */
export async function waitForStable(frame: Frame, selector: string, quietMs = 2000, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  let since = Date.now();
  while (Date.now() < deadline) {
    const now = await frame
      .locator(selector)
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => null);
    if (now === null) since = Date.now();
    else if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${selector}: text did not settle (or could not be read) for ${quietMs} ms within ${timeoutMs} ms (last ${JSON.stringify(last)})`);
}

/**
 * The frame whose document holds `selector`: a notebook's output webview (outputs sit in shadow roots, which
 * locators pierce). `context` adds to the error when none does (e.g. the workbench's console errors).
 */
export async function frameWith(page: Page, selector: string, timeoutMs = 60_000, context = () => ''): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames())
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame shows ${selector}${context()}`);
}

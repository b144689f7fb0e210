// A new user's first five minutes in a real VS Code (code-server driven by
// headless Chromium): an example copied into a folder of their own keeps its
// schema, New Scenario… → Save as… writes the name it shows, the bundled
// training streams long enough to be watched, a misspelt key has a quick fix,
// and a value over two limits is let through by one "Raise these limits".
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, stepOf } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { openVisualizerLens, panelFrame, pickQuick, runCommand, screenshot } from './workbench';

/** Where the copied example lies: a folder of the user's, nowhere near the extension's media/. */
const COPIED = path.join('my-notes', 'week-1');
/** The same example as it was shipped before: a relative "$schema" into media/, which is not there. */
const OLD_STYLE = 'old-style.ce.json';

/** A model over two limits: a 5,000-wide layer (limit 4,096) and 515,302 parameters (limit 250,000). */
const WIDE = {
  type: 'train',
  id: 'wide',
  model: { layers: [2, 5000, 100, 2] },
  data: { dataset: 'moons', n: 8 },
  optimizer: { type: 'sgd', lr: 0.1 },
  steps: 1,
};

describe('CE Lab: the first five minutes', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let workspace: string;

  useWorkbench({
    name: 'first-minutes',
    prepare: (w) => {
      mkdirSync(path.join(w, COPIED), { recursive: true });
      cpSync(path.join(ROOT, 'examples', 'sorix.ce.json'), path.join(w, COPIED, 'sorix-copy.ce.json'));
      const old = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'sorix.ce.json'), 'utf8'));
      writeFileSync(path.join(w, COPIED, OLD_STYLE), JSON.stringify({ $schema: '../media/schemas/ce-scenario.schema.json', ...old }, null, 2));
      writeFileSync(path.join(w, 'wide.ce.json'), JSON.stringify({ version: 1, cells: [WIDE] }, null, 2));
      writeFileSync(
        path.join(w, 'typo.ce.json'),
        JSON.stringify({ version: 1, cells: [{ type: 'loss', id: 'typo', logits: [[2, 1, 0.1]], target: [0], label_smothing: 0.25 }] }, null, 2),
      );
    },
    ready: (p, w) => ([page, workspace] = [p, w]),
  });

  /** Opens a file of the workspace by its path (Quick Open), in the first editor group. */
  async function open(relative: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relative);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.tab.active', { hasText: path.basename(relative) })
      .first()
      .waitFor({ timeout: 15_000 });
  }
  const token = (text: string) => page.locator('.editor-group-container.active .view-lines span[class^="mtk"]', { hasText: text }).first();
  /** The hover over `"logits"` in the active editor: the schema's description once the schema is loaded. */
  async function logitsHover(): Promise<string> {
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await page.mouse.move(5, 5);
    await token('"logits"').hover();
    return (await hover.innerText({ timeout: 2_000 }).catch(() => '')) ?? '';
  }
  /** Ctrl+. on the token `on`, a screenshot of the menu, then its action `title`. */
  /**
   * Ctrl+. on the token `on`, asked again until the menu lists `title`: the JSON language service's own warning on the
   * key can be drawn before CE Lab's diagnostic (which carries the fix) arrives, and an open menu does not update.
   */
  async function quickFix(on: string, title: string, shot: string): Promise<void> {
    const action = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const deadline = Date.now() + 30_000;
    for (;;) {
      await token(on).click();
      await page.keyboard.press('Control+.');
      const offered = await action
        .waitFor({ timeout: 3000 })
        .then(() => true)
        .catch(() => false);
      if (offered) break;
      if (Date.now() > deadline) throw new Error(`Ctrl+. on ${on} never offered "${title}"`);
      await page.keyboard.press('Escape');
    }
    await screenshot(page, shot);
    await action.click();
  }
  /** The Problems panel's rows (opened, read, closed). */
  async function problems(): Promise<string> {
    await runCommand(page, 'View: Toggle Problems');
    const markers = page.locator('.markers-panel');
    await markers.waitFor({ timeout: 15_000 });
    const text = await markers.innerText();
    await runCommand(page, 'View: Toggle Problems');
    return text;
  }

  it('an example copied into a folder of its own has hover and no "Unable to load schema"', async () => {
    // The control: a relative "$schema" that points nowhere warns, so the Problems panel would show it.
    await open(path.join(COPIED, OLD_STYLE));
    await expect.poll(problems, { timeout: 30_000 }).toMatch(/Unable to load schema/);

    await open(path.join(COPIED, 'sorix-copy.ce.json'));
    // The schema the extension contributes for *.ce.json is loaded: hover shows its description.
    await expect.poll(logitsHover, { timeout: 30_000 }).toMatch(/Raw, unnormalised scores/);
    await screenshot(page, 'first-minutes-01-copied-example-hover');
    await page.mouse.move(5, 5);
    // The Problems panel lists only files with problems: the control, never the copy.
    const text = await problems();
    expect(text).toMatch(/old-style\.ce\.json[\s\S]*Unable to load schema/);
    expect(text).not.toMatch(/sorix-copy\.ce\.json/);
  });

  it('New Scenario… → Save as… creates training.ce.json (the name it shows), not training.ce.json.ce.json', async () => {
    await runCommand(page, 'CE Lab: New Scenario…');
    await pickQuick(page, 'training');
    await pickQuick(page, 'Save as…');
    // code-server's own save dialog: a path box, pre-filled with the free name in the workspace folder.
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(
      () => (document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? '').endsWith('/training.ce.json'),
      undefined,
      {
        timeout: 15_000,
      },
    );
    await screenshot(page, 'first-minutes-02-save-as');
    await input.press('Enter');
    await page.locator('.tab.active', { hasText: 'training.ce.json' }).first().waitFor({ timeout: 15_000 });
    expect(existsSync(path.join(workspace, 'training.ce.json'))).toBe(true);
    expect(existsSync(path.join(workspace, 'training.ce.json.ce.json'))).toBe(false);
    expect(await page.locator('.tab.active').first().innerText()).not.toMatch(/\.ce\.json\.ce\.json/);
  });

  it('the moons training streams: the panel shows it step by step, not only its end', async () => {
    await open('moons-mlp-adam.ce.json');
    const lens = openVisualizerLens(page);
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const panel = await panelFrame(page);
    // Every step count the status line shows while the cell runs, until it is done.
    const seen = new Set<number>();
    const status = panel.locator('[data-testid="train-status-moons"]');
    let text = '';
    for (let reads = 0; !/step 60000 \/ 60000/.test(text) && reads < 2_000; reads++) {
      text = (await status.innerText({ timeout: 5_000 }).catch(() => '')) ?? '';
      if (!/ · running/.test(text) || seen.has(stepOf(text))) continue;
      seen.add(stepOf(text));
      if (seen.size === 3) await screenshot(page, 'first-minutes-03-moons-streaming');
    }
    expect(text).toMatch(/step 60000 \/ 60000/);
    // A person sees it learn: several intermediate states, not just the finished run.
    expect([...seen].filter((s) => s > 0 && s < 60000).length).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'first-minutes-04-moons-done');
  });

  it('Ctrl+. on a misspelt key offers "Change to label_smoothing", which fixes it as one undo step', async () => {
    await open('typo.ce.json');
    await runCommand(page, 'CE Lab: Run Scenario');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await page.locator('.editor-group-container.active .squiggly-warning').first().waitFor({ timeout: 30_000 });
    await quickFix('"label_smothing"', 'Change to label_smoothing', 'first-minutes-05-quick-fix');
    await editor.filter({ hasText: '"label_smoothing": 0.25' }).waitFor({ timeout: 10_000 });
    expect(await editor.innerText()).not.toContain('label_smothing');
    // The warning goes with the next run (live update re-runs the edit).
    await page.locator('.editor-group-container.active .squiggly-warning').first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.keyboard.press('Control+Z');
    await editor.filter({ hasText: '"label_smothing": 0.25' }).waitFor({ timeout: 10_000 });
  });

  it('"Raise these limits for this workspace" on a model over two limits writes both settings, visibly, and the cell then runs', async () => {
    await open('wide.ce.json');
    await runCommand(page, 'CE Lab: Run Scenario');
    const error = page.locator('.editor-group-container.active .squiggly-error').first();
    await error.waitFor({ timeout: 30_000 });
    await quickFix('5000', 'Raise these limits for this workspace', 'first-minutes-06-raise-limits');
    // The settings file opens with the change, and is saved with exactly the two settings added.
    await page.locator('.tab.active', { hasText: 'settings.json' }).first().waitFor({ timeout: 15_000 });
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    await expect
      .poll(() => JSON.parse(readFileSync(settingsFile, 'utf8')), { timeout: 15_000 })
      .toEqual({
        'ceLab.limits.maxTrainSteps': 1e8,
        'ceLab.limits.maxWork': 1e15,
        'ceLab.limits.maxLayerWidth': 5000,
        'ceLab.limits.maxParameters': 515302,
      });
    await screenshot(page, 'first-minutes-07-settings-raised');
    // The scenario ran again with the new limits: no error left on it.
    await open('wide.ce.json');
    await error.waitFor({ state: 'detached', timeout: 30_000 });
  });
});

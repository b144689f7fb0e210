// CE Lab in a real VS Code (code-server 4.139 = Code 1.139) driven by headless
// Chromium: the packaged vsix, the CodeLens, the panel's numbers, live edits,
// diagnostics, Stop, and recovery from a killed engine worker.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeServerInstalled, startCodeServer, type CodeServer } from './codeServer';
import { LONG_TRAINING, ROOT, meanCe, numbers, prepareWorkspace, stepOf } from './scenarios';
import { launchBrowser, openFile, openWorkbench, panelFrame, replaceAt, runCommand, screenshot, waitForStable, waitForText } from './workbench';

const VSIX = path.join(ROOT, 'ce-lab.vsix');

// Never skipped silently: without code-server the suite fails and says how to install it.
describe('CE Lab in real VS Code', () => {
  if (!codeServerInstalled()) {
    it('needs code-server', () => {
      throw new Error('code-server is not installed: run `bash scripts/e2e-setup.sh` (npm run test:e2e does it first).');
    });
    return;
  }
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let panel: Frame;
  let workspace: string;
  const started = Date.now();

  beforeAll(async () => {
    execSync('npm run package', { cwd: ROOT, stdio: 'inherit' });
    workspace = prepareWorkspace();
    server = await startCodeServer(VSIX, workspace, { CE_LAB_DEBUG: '1' });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    if (page) await screenshot(page, '99-last').catch(() => undefined);
    await browser?.close();
    await server?.stop();
    console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });

  it('opens sorix.ce.json, shows CodeLens, and the "Open visualizer" lens opens the panel', async () => {
    await openFile(page, 'sorix.ce.json');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Open visualizer' });
    await lens.first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.codelens-decoration a', { hasText: 'Run cell' }).count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '01-codelens');
    await lens.first().click();
    panel = await panelFrame(page);
    await screenshot(page, '02-panel');
  });

  it('shows the loss 0.2159 and the gradient of the sorix example', async () => {
    const loss = await waitForText(panel, '[data-testid="loss-two-samples"]', (t) => numbers(t).includes('0.2159'));
    expect(numbers(loss)).toEqual(['0.2159']);
    // d(mean loss)/d(logits) = (softmax - onehot) / 2, row by row.
    const grad = await waitForText(panel, '[data-testid="grad-table-two-samples"]', (t) => numbers(t).includes('-0.1705'));
    expect(numbers(grad)).toEqual(expect.arrayContaining(['-0.1705', '0.1212', '0.0493', '0.0033', '-0.0074', '0.0041']));
    await screenshot(page, '03-numbers');
  });

  it('re-evaluates an unsaved edit of a logit', async () => {
    // Line 16: `      "logits": [[2.0, 1.0, 0.1], ...`; column 19 is the first logit.
    await replaceAt(page, 16, 19, 3, '3.0');
    const expected = meanCe(
      [
        [3, 1, 0.1],
        [0, 5, 0.2],
      ],
      [0, 1],
    );
    await waitForText(panel, '[data-testid="loss-two-samples"]', (t) => numbers(t).includes(expected));
    // Not saved: the file on disk still has the old logit.
    expect(readFileSync(path.join(workspace, 'sorix.ce.json'), 'utf8')).toContain('"logits": [[2.0, 1.0, 0.1]');
    await screenshot(page, '04-live-edit');
  });

  it('puts a diagnostic on an out-of-range target, and clears it when fixed', async () => {
    // Line 17: `      "target": [0, 1],`; column 21 is the second target.
    await replaceAt(page, 17, 21, 1, '7');
    const squiggle = page.locator('.editor-group-container .monaco-editor .squiggly-error');
    await squiggle.first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Toggle Problems');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await problems.first().waitFor({ timeout: 15_000 });
    const text = (await page.locator('.markers-panel').textContent()) ?? '';
    expect(text).toMatch(/CE Lab/);
    expect(text).toContain('Target 7 is out of bounds. Class indices run from 0 to 2 (3 classes); ignore_index is -100.');
    await screenshot(page, '05-diagnostic');
    // The panel's path button selects the offending value in the editor.
    await panel.locator('[data-testid="error-two-samples-path"]').click();
    await page.locator('.statusbar', { hasText: /Ln 17, Col 2[12] \(1 selected\)/ }).waitFor({ timeout: 15_000 });
    await replaceAt(page, 17, 21, 1, '1');
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    await runCommand(page, 'View: Toggle Problems');
  });

  it('a panel knob edits the scenario through an undoable edit', async () => {
    const lossOf = '[data-testid="loss-two-samples"]';
    const [before] = numbers(await waitForText(panel, lossOf, (t) => numbers(t).length > 0));
    const knob = panel.locator('[data-testid="knob-label_smoothing-two-samples"]');
    await knob.focus();
    for (let i = 0; i < 5; i++) await knob.press('ArrowRight');
    const editorText = page.locator('.editor-group-container .monaco-editor .view-lines').first();
    await editorText.filter({ hasText: 'label_smoothing' }).waitFor({ timeout: 15_000 });
    await waitForText(panel, lossOf, (t) => numbers(t).length > 0 && !numbers(t).includes(before));
    await screenshot(page, '05b-knob-edit');
    await openFile(page, 'sorix.ce.json');
    await editorText.click();
    for (let i = 0; i < 30 && (await editorText.filter({ hasText: 'label_smoothing' }).count()); i++) {
      await page.keyboard.press('Control+Z');
      await page.waitForTimeout(300);
    }
    expect(await editorText.filter({ hasText: 'label_smoothing' }).count()).toBe(0);
    await waitForText(panel, lossOf, (t) => numbers(t).includes(before));
  });

  const trainStatus = '[data-testid="train-status-long"]';

  // The editor title's Run and Stop buttons, shown by the ceLab.running context key.
  const titleButton = (icon: 'play' | 'debug-stop') => page.locator(`.editor-group-container .editor-actions .codicon-${icon}`);

  it('stops a long training from the Stop button in the editor title', async () => {
    await openFile(page, 'long.ce.json');
    panel = await panelFrame(page);
    await waitForText(panel, trainStatus, (t) => stepOf(t) > 0, 60_000);
    await titleButton('debug-stop').waitFor({ timeout: 15_000 });
    expect(await titleButton('play').count()).toBe(0);
    await screenshot(page, '06a-stop-in-title');
    await titleButton('debug-stop').click();
    // Stopped: the step count settles (once the panel has drawn what was already sent) well short of the end.
    const atStop = stepOf(await waitForStable(panel, trainStatus, 3000));
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(LONG_TRAINING.cells[0].steps);
    await titleButton('play').waitFor({ timeout: 15_000 });
    expect(await titleButton('debug-stop').count()).toBe(0);
    await waitForText(panel, '[data-testid="status-long"]', (t) => t === 'stopped');
    await screenshot(page, '06-stopped');
  });

  it('recovers from a killed engine worker', async () => {
    const before = stepOf(await panel.locator(trainStatus).innerText());
    await runCommand(page, 'CE Lab: Run Scenario');
    await waitForText(panel, trainStatus, (t) => stepOf(t) > 0 && stepOf(t) !== before, 30_000);
    await runCommand(page, 'CE Lab: Kill Engine Worker (debug)');
    const notice = await waitForText(panel, '.notice', (t) => /crash/i.test(t), 20_000);
    expect(notice).toMatch(/restarted/);
    await screenshot(page, '07-worker-killed');
    // The next run works: back to sorix, edit a logit, and the new worker computes the new loss.
    await openFile(page, 'sorix.ce.json');
    panel = await panelFrame(page);
    await replaceAt(page, 16, 19, 3, '2.0');
    await waitForText(panel, '[data-testid="loss-two-samples"]', (t) => numbers(t).includes('0.2159'));
    await screenshot(page, '08-recovered');
  });

  const sorixLoss = '[data-testid="loss-two-samples"]';

  it('restores the panel on its scenario after Developer: Reload Window', async () => {
    await openFile(page, 'sorix.ce.json');
    // Saved first, so the reload asks nothing about unsaved changes.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
    await waitForText(panel, sorixLoss, (t) => numbers(t).includes('0.2159'));
    await page.waitForTimeout(500); // the webview's state is saved debounced
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    panel = await panelFrame(page, 60_000);
    await waitForText(panel, sorixLoss, (t) => numbers(t).includes('0.2159'), 60_000);
    await page.locator('.tab', { hasText: 'CE Lab: sorix.ce.json' }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, '09-restored-after-reload');
  });

  it('Export Results… writes the results document where the save dialog says', async () => {
    await openFile(page, 'sorix.ce.json');
    await runCommand(page, 'CE Lab: Export Results…');
    // code-server's own save dialog: a path box, prefilled with the name beside the scenario.
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(
      () => (document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? '').endsWith('sorix.results.json'),
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, '10-export-dialog');
    await input.press('Enter');
    const target = path.join(workspace, 'sorix.results.json');
    await expect.poll(() => existsSync(target), { timeout: 15_000 }).toBe(true);
    const doc = JSON.parse(readFileSync(target, 'utf8'));
    expect(doc.title).toBeTruthy();
    const loss = doc.cells.find((c: { id?: string }) => c.id === 'two-samples');
    expect(Number(loss.loss).toFixed(4)).toBe('0.2159');
  });

  it('New Scenario… opens an untitled scenario from the template that runs clean', async () => {
    await runCommand(page, 'CE Lab: New Scenario…');
    const pick = async (label: string) => {
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click();
    };
    await pick('loss');
    await pick('Untitled');
    await page.locator('.tab.active', { hasText: 'loss.ce.json' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.editor-group-container.active .monaco-editor .view-lines', { hasText: 'margin' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'CE Lab: Open Visualizer to the Side');
    panel = await panelFrame(page);
    // The template's loss cell is the sorix example.
    await waitForText(panel, '[data-testid="loss-loss"]', (t) => numbers(t).includes('0.2159'));
    await page.waitForTimeout(1500); // diagnostics (ours and the JSON schema's) would have arrived
    const editor = page.locator('.editor-group-container .monaco-editor', { hasText: 'margin' }).first();
    expect(await editor.locator('.squiggly-error, .squiggly-warning').count()).toBe(0);
    await screenshot(page, '11-new-scenario');
  });

  it("reads a scenario's .npy files (the host reads them for the worker)", async () => {
    await openFile(page, 'npy-logits.ce.json');
    panel = await panelFrame(page);
    // PyTorch 1.13: F.cross_entropy(torch.from_numpy(np.load('data/logits.npy')), torch.from_numpy(np.load('data/targets.npy'))) = 0.9410219788551331
    await waitForText(panel, '[data-testid="loss-from-npy"]', (t) => numbers(t).includes('0.9410'));
    await screenshot(page, '12-npy');
  });
});

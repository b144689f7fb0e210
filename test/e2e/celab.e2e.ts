// CE Lab in a real VS Code (code-server 4.139 = Code 1.139) driven by headless
// Chromium: the packaged vsix, the CodeLens, the panel's numbers, live edits,
// diagnostics, Stop, and recovery from a killed engine worker.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import * as journey from './journeys';
import { LONG_TRAINING, SORIX_LOSS, numbers, sorixMeanCe } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { openFile, panelFrame, pickQuick, replaceAt, runCommand, screenshot, waitForText } from './workbench';

describe('CE Lab in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  let workspace: string;
  useWorkbench({ name: 'celab', env: { CE_LAB_DEBUG: '1' }, ready: (p, w) => ([page, workspace] = [p, w]) });

  afterAll(async () => {
    if (page) await screenshot(page, '99-last').catch(() => undefined);
  });

  it('opens sorix.ce.json, shows CodeLens, and the "Open visualizer" lens opens the panel', async () => {
    const lens = await journey.sorixLens(page);
    expect(await page.locator('.codelens-decoration a', { hasText: 'Run cell' }).count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '01-codelens');
    await lens.click();
    panel = await panelFrame(page);
    await screenshot(page, '02-panel');
  });

  it('shows the loss 0.2159 and the gradient of the sorix example', async () => {
    await journey.expectSorixNumbers(panel);
    await screenshot(page, '03-numbers');
  });

  it('re-evaluates an unsaved edit of a logit', async () => {
    // Line 15: `      "logits": [[2.0, 1.0, 0.1], ...`; column 19 is the first logit.
    await replaceAt(page, 15, 19, 3, '3.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes(sorixMeanCe([3, 1, 0.1])));
    // Not saved: the file on disk still has the old logit.
    expect(readFileSync(path.join(workspace, 'sorix.ce.json'), 'utf8')).toContain('"logits": [[2.0, 1.0, 0.1]');
    await screenshot(page, '04-live-edit');
  });

  it('puts a diagnostic on an out-of-range target, and clears it when fixed', async () => {
    // Line 16: `      "target": [0, 1],`; column 21 is the second target.
    await replaceAt(page, 16, 21, 1, '7');
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
    await page.locator('.statusbar', { hasText: /Ln 16, Col 2[12] \(1 selected\)/ }).waitFor({ timeout: 15_000 });
    await replaceAt(page, 16, 21, 1, '1');
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    await runCommand(page, 'View: Toggle Problems');
  });

  it('a panel knob edits the scenario through an undoable edit', async () => {
    const [before] = numbers(await waitForText(panel, SORIX_LOSS, (t) => numbers(t).length > 0));
    const knob = panel.locator('[data-testid="knob-label_smoothing-two-samples"]');
    await knob.focus();
    for (let i = 0; i < 5; i++) await knob.press('ArrowRight');
    const editorText = page.locator('.editor-group-container .monaco-editor .view-lines').first();
    await editorText.filter({ hasText: 'label_smoothing' }).waitFor({ timeout: 15_000 });
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).length > 0 && !numbers(t).includes(before));
    await screenshot(page, '05b-knob-edit');
    await openFile(page, 'sorix.ce.json');
    await editorText.click();
    for (let i = 0; i < 30 && (await editorText.filter({ hasText: 'label_smoothing' }).count()); i++) {
      await page.keyboard.press('Control+Z');
      await page.waitForTimeout(300);
    }
    expect(await editorText.filter({ hasText: 'label_smoothing' }).count()).toBe(0);
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes(before));
  });

  it('stops a long training from the Stop button in the editor title', async () => {
    panel = await journey.startLongTraining(page);
    await screenshot(page, '06a-stop-in-title');
    await journey.stopFromTitle(page, panel, LONG_TRAINING.cells[0].steps);
    await screenshot(page, '06-stopped');
  });

  it('recovers from a killed engine worker; its running cell is not left running', async () => {
    await journey.rerunLongTraining(page, panel);
    await runCommand(page, 'CE Lab: Kill Engine Worker (debug)');
    const notice = await waitForText(panel, '.notice', (t) => /crash/i.test(t), 20_000);
    expect(notice).toMatch(/restarted/);
    // The training that worker was running is not left "running…": it failed with the crash.
    await waitForText(panel, '[data-testid="status-long"]', (t) => t === 'failed', 20_000);
    await screenshot(page, '07-worker-killed');
    // The next run works: back to sorix, edit a logit, and the new worker computes the new loss.
    await openFile(page, 'sorix.ce.json');
    panel = await panelFrame(page);
    await replaceAt(page, 15, 19, 3, '2.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'));
    await screenshot(page, '08-recovered');
  });

  it('restores the panel on its scenario after Developer: Reload Window', async () => {
    await journey.saveSorix(page);
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'));
    panel = await journey.reloadWindow(page);
    await page.locator('.tab', { hasText: 'CE Lab: sorix.ce.json' }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, '09-restored-after-reload');
  });

  it('Export Results… writes the results document where the save dialog says', async () => {
    await openFile(page, 'sorix.ce.json');
    await journey.openExportDialog(page);
    await screenshot(page, '10-export-dialog');
    const doc = await journey.acceptExport(page, workspace);
    expect(doc.title).toBeTruthy();
    expect(journey.exportedSorixLoss(doc)).toBe('0.2159');
  });

  it("a loss figure's JSON button saves the cell's whole result, which the engine worker keeps and writes (the host and panel have only its view)", async () => {
    await openFile(page, 'sorix.ce.json');
    panel = await panelFrame(page);
    const figure = panel.locator('figure', { has: panel.getByTestId('grad-table-two-samples') });
    await figure.getByRole('button', { name: 'JSON' }).click();
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(
      () => (document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? '').endsWith('two-samples-grad.json'),
      undefined,
      { timeout: 15_000 },
    );
    await input.press('Enter');
    const target = path.join(workspace, 'two-samples-grad.json');
    // The worker writes it whole or not at all (node/atomicWrite.ts): once there, it parses.
    await expect.poll(() => existsSync(target), { timeout: 15_000 }).toBe(true);
    const cell = JSON.parse(readFileSync(target, 'utf8'));
    expect(cell).toMatchObject({ id: 'two-samples', type: 'loss', ok: true });
    // PyTorch's float32 numbers for sorix (golden case doc_sorix_example), every class of both samples.
    expect(cell.probs.map((row: number[]) => row.map((v) => v.toFixed(4)))).toEqual([
      ['0.6590', '0.2424', '0.0986'],
      ['0.0066', '0.9853', '0.0081'],
    ]);
    expect(Number(cell.grad[0][0]).toFixed(4)).toBe('-0.1705');
  });

  it('New Scenario… opens an untitled scenario from the template that runs clean', async () => {
    await runCommand(page, 'CE Lab: New Scenario…');
    await pickQuick(page, 'loss');
    await pickQuick(page, 'Untitled');
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

// CE Lab as a web extension: the packaged vsix without `main`, so code-server can
// only run it in its browser extension host (a Web Worker: no `process`, no Node
// built-ins), as vscode.dev would. The engine runs in a nested Web Worker and
// reads .npy files through vscode.workspace.fs. Same journeys as the desktop suite.
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as journey from './journeys';
import { LONG_TRAINING, ROOT, SORIX_LOSS, numbers, sorixMeanCe } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { packageWebOnly } from './webOnlyVsix';
import { openFile, panelFrame, replaceAt, screenshot, waitForText } from './workbench';

/** The debug command is hidden from the palette on the web (no environment to enable it): a key runs it. */
const KILL_WORKER_KEY = 'ctrl+alt+shift+k';

/** A scenario that names a .npy file beside the workspace folder, not in it. */
const ESCAPE = {
  version: 1,
  cells: [{ type: 'loss', id: 'escape', logits: { npy: '../outside.npy' }, target: [0, 1, 2, 3] }],
};

/**
 * The long training with wider layers: here the engine, the extension host and the panel share one
 * browser, and at the narrow model's ~15,000 steps/s the panel falls behind on a loaded 2-core machine.
 */
const WEB_LONG_TRAINING = {
  ...LONG_TRAINING,
  cells: LONG_TRAINING.cells.map((c) => ({ ...c, model: { ...c.model, layers: [2, 256, 256, 2] } })),
};

describe('CE Lab in a browser-only extension host (web extension)', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  let workspace: string;
  const shot = (name: string) => screenshot(page, `web-${name}`);
  useWorkbench({
    name: 'web',
    vsix: () => packageWebOnly(ROOT),
    prepare: (folder) => {
      copyFileSync(path.join(folder, 'data', 'logits.npy'), path.join(folder, '..', 'outside.npy'));
      writeFileSync(path.join(folder, 'escape.ce.json'), JSON.stringify(ESCAPE, null, 2));
      writeFileSync(path.join(folder, 'long.ce.json'), JSON.stringify(WEB_LONG_TRAINING, null, 2));
      // A copy of sorix for the notebook, which the other tests' edits leave alone.
      copyFileSync(path.join(folder, 'sorix.ce.json'), path.join(folder, 'notebook-sorix.ce.json'));
    },
    userFiles: { 'keybindings.json': [{ key: KILL_WORKER_KEY, command: 'ceLab.debug.killWorker' }] },
    ready: (p, w) => ([page, workspace] = [p, w]),
  });

  it('one .vsix under 1 MB carries both entries: main (desktop) and browser (web)', () => {
    expect(statSync(path.join(ROOT, 'ce-lab.vsix')).size).toBeLessThan(1_000_000);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect([manifest.main, manifest.browser]).toEqual(['./dist/extension.js', './dist/web/extension.js']);
    expect(manifest.capabilities.virtualWorkspaces).toBe(true);
  });

  it('opens sorix.ce.json; its "Open visualizer" CodeLens opens the panel', async () => {
    await (await journey.sorixLens(page)).click();
    panel = await panelFrame(page);
    await shot('01-panel');
  });

  it('runs in a Web Worker extension host (no process), the engine in a Web Worker of its own that compiles WebAssembly SIMD', async () => {
    const named = await Promise.all(page.workers().map(async (w) => ({ w, name: await w.evaluate(() => self.name).catch(() => '') })));
    const host = named.find((n) => n.name === 'ExtensionHostWorker');
    const engine = named.find((n) => n.name.endsWith('CE Lab engine'));
    expect(host && engine, named.map((n) => n.name).join(', ')).toBeTruthy();
    expect(await host?.w.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // (module (func (result v128) v128.const i32x4 0 0 0 0)): what the engine's SIMD kernels need from the worker.
    const simd = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, ...Array(16).fill(0), 11];
    expect(await engine?.w.evaluate((bytes) => new WebAssembly.Module(new Uint8Array(bytes)) instanceof WebAssembly.Module, simd)).toBe(true);
  });

  it('shows the loss 0.2159 and the gradient of the sorix example', async () => {
    await journey.expectSorixNumbers(panel);
    await shot('02-numbers');
  });

  it('re-evaluates an unsaved edit of a logit', async () => {
    // Line 15: `      "logits": [[2.0, 1.0, 0.1], ...`; column 19 is the first logit.
    await replaceAt(page, 15, 19, 3, '3.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes(sorixMeanCe([3, 1, 0.1])));
    expect(readFileSync(path.join(workspace, 'sorix.ce.json'), 'utf8')).toContain('"logits": [[2.0, 1.0, 0.1]');
    await shot('03-live-edit');
  });

  it('puts a diagnostic on an out-of-range target, and clears it when fixed', async () => {
    // Line 16: `      "target": [0, 1],`; column 21 is the second target.
    await replaceAt(page, 16, 21, 1, '7');
    const squiggle = page.locator('.editor-group-container .monaco-editor .squiggly-error');
    await squiggle.first().waitFor({ timeout: 30_000 });
    const error = await waitForText(panel, '[data-testid="error-two-samples"]', (t) => /7/.test(t));
    expect(error).toMatch(/out of bounds|range/i);
    await shot('04-diagnostic');
    await replaceAt(page, 16, 21, 1, '1');
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    await replaceAt(page, 15, 19, 3, '2.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'));
  });

  it('reads .npy files through vscode.workspace.fs, and refuses one outside the workspace folder', async () => {
    await openFile(page, 'npy-logits.ce.json');
    panel = await panelFrame(page);
    // PyTorch 1.13: F.cross_entropy(torch.from_numpy(np.load('data/logits.npy')), torch.from_numpy(np.load('data/targets.npy'))) = 0.9410219788551331
    await waitForText(panel, '[data-testid="loss-from-npy"]', (t) => numbers(t).includes('0.9410'));
    await shot('05-npy');
    await openFile(page, 'escape.ce.json');
    const refused = await waitForText(panel, '[data-testid="error-escape"]', (t) => t.length > 0);
    expect(refused).toMatch(/outside the workspace folder/);
    await shot('06-npy-outside-refused');
  });

  it('stops a long training from the Stop button in the editor title', async () => {
    panel = await journey.startLongTraining(page);
    await shot('07-training');
    await journey.stopFromTitle(page, panel, WEB_LONG_TRAINING.cells[0].steps);
    await shot('08-stopped');
  });

  it('recovers from a killed engine Web Worker', async () => {
    await journey.rerunLongTraining(page, panel);
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Alt+Shift+K');
    const notice = await waitForText(panel, '.notice', (t) => /crash/i.test(t), 20_000);
    expect(notice).toMatch(/restarted/);
    await shot('09-worker-killed');
    // The next run gets a fresh worker: sorix, edited, computes the new loss.
    await openFile(page, 'sorix.ce.json');
    panel = await panelFrame(page);
    await replaceAt(page, 15, 19, 3, '4.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes(sorixMeanCe([4, 1, 0.1])));
    await shot('10-recovered');
  });

  it('Export Results… writes through the save dialog and vscode.workspace.fs', async () => {
    await replaceAt(page, 15, 19, 3, '2.0');
    await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'));
    await journey.openExportDialog(page);
    expect(journey.exportedSorixLoss(await journey.acceptExport(page, workspace))).toBe('0.2159');
  });

  it('restores the panel on its scenario after Developer: Reload Window', async () => {
    await journey.saveSorix(page);
    panel = await journey.reloadWindow(page);
    await shot('11-restored-after-reload');
  });

  it('opens a scenario as a CE Lab Notebook; Run All shows PyTorch numbers in its outputs', async () => {
    await journey.sorixNotebookRunAll(page, 'notebook-sorix.ce.json');
    await shot('12-notebook');
  });
});

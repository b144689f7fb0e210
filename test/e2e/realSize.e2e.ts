// A real model's outputs in a real VS Code with default settings: a 50,000 ×
// 1,000 float32 .npy (200 MB) opens, streamed in the worker, with its loss on
// screen after "Open visualizer"; a click on its worst element shows that
// element's softmax and gradient; a label smoothing step re-runs from the kept
// per-element terms; its calibration follows its loss without being asked, the
// figures of plain loops over one tile of the file. Times are written to test-artifacts/e2e/real-size.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { referenceFigures } from '../helpers/calibrationReference';
import { writeTiledLogits, type TiledLogits } from '../helpers/tiledLogits';
import { numbers, writeLossScenario } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { ARTIFACTS, openFile, openVisualizerLens, panelFrame, runCommand, screenshot, waitForText } from './workbench';

const [ROWS, CLASSES, TILE] = [50_000, 1_000, 500];
const LOSS = '[data-testid="loss-imagenet"]';

let meanLoss = NaN;
let tile: TiledLogits['tile'] = { rows: [], labels: [] };

function writeImagenetSize(workspace: string): void {
  const dir = path.join(workspace, 'real');
  mkdirSync(dir, { recursive: true });
  const tiled = { rows: ROWS, classes: CLASSES, tile: TILE, seed: 7, spread: 6, raise: 8 };
  ({ meanLoss, tile } = writeTiledLogits(path.join(dir, 'imagenet-logits.npy'), path.join(dir, 'imagenet-labels.npy'), tiled));
  writeLossScenario(dir, 'imagenet.ce.json', 'Real-size outputs', {
    id: 'imagenet',
    title: 'ImageNet-size outputs',
    logits: { npy: 'imagenet-logits.npy' },
    target: { npy: 'imagenet-labels.npy' },
  });
}

describe('real-size model outputs in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  useWorkbench({ name: 'real-size', prepare: writeImagenetSize, ready: (p) => (page = p) });
  const times: Record<string, number> = {};

  it('a 200 MB classifier output shows its loss after "Open visualizer", with default settings', async () => {
    await openFile(page, 'imagenet.ce.json');
    const lens = openVisualizerLens(page);
    await lens.waitFor({ timeout: 60_000 });
    const clicked = Date.now();
    await lens.click();
    panel = await panelFrame(page, 60_000);
    const text = await waitForText(panel, LOSS, (t) => numbers(t).length > 0, 60_000);
    times.openToLossMs = Date.now() - clicked;
    expect(Number(numbers(text)[0])).toBeCloseTo(meanLoss, 4);
    await screenshot(page, 'real-size-imagenet');
  }, 180_000);

  it('its calibration follows its loss without being asked: the ECE of plain loops over the file', async () => {
    const ece = await waitForText(panel, '[data-testid="ece-imagenet"]', (t) => /^\d\.\d{6}$/.test(t), 120_000);
    expect(Number(ece)).toBeCloseTo(referenceFigures(tile.rows, tile.labels, -100, 1, 15).ece, 5);
    await screenshot(page, 'real-size-calibration');
  }, 180_000);

  it('a click on the worst element shows its softmax and gradient', async () => {
    const worst = panel.locator('[data-testid="worst-imagenet"] tbody tr').first();
    const button = worst.locator('button.link');
    const element = Number((await button.innerText()).slice(1));
    const clicked = Date.now();
    await button.click();
    const caption = await waitForText(panel, '[data-testid="detail-imagenet-detail"]', (t) => t.includes(`#${element}`), 60_000);
    times.rowClickToDetailMs = Date.now() - clicked;
    expect(caption).toMatch(/its 30 most probable of 1,000 classes/);
    await screenshot(page, 'real-size-detail');
  }, 120_000);

  it('a label smoothing step re-runs the big cell from its kept terms', async () => {
    const [before] = numbers(await waitForText(panel, LOSS, (t) => numbers(t).length > 0));
    const knob = panel.locator('[data-testid="knob-label_smoothing-imagenet"]');
    await knob.focus();
    const pressed = Date.now();
    await knob.press('ArrowRight');
    await waitForText(panel, LOSS, (t) => numbers(t).length > 0 && numbers(t)[0] !== before, 60_000);
    times.smoothingStepToLossMs = Date.now() - pressed;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'real-size.json'), `${JSON.stringify(times, null, 2)}\n`);
    console.log('real-size e2e (ms):', JSON.stringify(times));
  }, 120_000);

  it('the walkthrough opens from the command palette with its five steps', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with CE Lab' }).first();
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await pick.click();
    for (const title of [
      'Open a scenario beside its visualizer',
      'Drag a logit bar, then undo',
      'Train, and stop',
      'Copy a cell as PyTorch',
      "Open your own model's outputs",
    ])
      await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 30_000 });
    // The open step shows its image (each step has one for light and one for dark themes).
    await page.locator('.getting-started-media img').first().waitFor({ state: 'attached', timeout: 30_000 });
    await screenshot(page, 'walkthrough');
  }, 120_000);
});

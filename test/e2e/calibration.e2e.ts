// Calibration in a real VS Code: a classifier's outputs (1,200 rows × 5
// classes in .npy files, over-confident on purpose) show their ECE and
// reliability diagram in the panel, the numbers those of plain loops over the
// same float32 values (test/helpers/calibrationReference.ts); "Use T = …"
// writes the fitted temperature into the cell as one edit, the panel re-runs
// at it, and one undo takes it back out.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { npyBytes } from '../../core/npyWrite';
import { referenceFigures, referenceFittedT } from '../helpers/calibrationReference';
import { lcg } from '../helpers/lcg';
import { writeLossScenario } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { openFile, openVisualizerLens, panelFrame, screenshot, waitForText } from './workbench';

const [ROWS, CLASSES, BINS] = [1200, 5, 10];
const next = lcg(17);
// The label is the top class 70% of the time, while the top class's softmax is about 0.95: over-confident.
const LOGITS = Array.from({ length: ROWS }, () => Array.from({ length: CLASSES }, () => Math.fround(8 * next() - 4)));
const LABELS = LOGITS.map((row) => (next() < 0.7 ? row.indexOf(Math.max(...row)) : Math.floor(next() * CLASSES)));
const ECE = '[data-testid="ece-cls"]';

function writeClassifier(workspace: string): void {
  const dir = path.join(workspace, 'calibration');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cls-logits.npy'), npyBytes('<f4', [ROWS, CLASSES], LOGITS.flat()));
  writeFileSync(path.join(dir, 'cls-labels.npy'), npyBytes('<i8', [ROWS], LABELS));
  writeLossScenario(dir, 'classifier.ce.json', 'Calibration', {
    id: 'cls',
    title: 'A classifier’s outputs',
    logits: { npy: 'cls-logits.npy' },
    target: { npy: 'cls-labels.npy' },
    calibration: { bins: BINS },
  });
}

describe('calibration in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let panel: Frame;
  useWorkbench({ name: 'calibration', prepare: writeClassifier, ready: (p) => (page = p) });

  it('the panel shows the ECE of plain loops and the reliability diagram', async () => {
    await openFile(page, 'classifier.ce.json');
    const lens = openVisualizerLens(page);
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    panel = await panelFrame(page, 60_000);
    const text = await waitForText(panel, ECE, (t) => /^\d\.\d{6}$/.test(t), 60_000);
    expect(Number(text)).toBeCloseTo(referenceFigures(LOGITS, LABELS, -100, 1, BINS).ece, 6);
    const rows = await panel.locator('[data-testid="reliability-table-cls"] tbody tr').count();
    expect(rows).toBe(BINS);
    await screenshot(page, 'calibration-panel');
  }, 180_000);

  it('"Use T = …" writes the fitted temperature as one edit; the panel re-runs at it; one undo removes it', async () => {
    const fitted = referenceFittedT(LOGITS, LABELS, -100);
    const button = panel.locator('[data-testid="apply-temperature-cls"]');
    expect(await button.innerText()).toBe(`Use T = ${Number(fitted.toPrecision(4))}`);
    await button.click();
    const editorText = page.locator('.editor-group-container .monaco-editor .view-lines').first();
    const written = editorText.filter({ hasText: '"temperature"' });
    await written.waitFor({ timeout: 15_000 });
    const value = Number(/"temperature":\s*([\d.e-]+)/.exec((await written.innerText()).replace(/\s+/g, ' '))?.[1]);
    expect(Math.abs(value / fitted - 1)).toBeLessThan(1e-6);
    // Re-run at the written T: the ECE there, as plain loops give it.
    const atFit = referenceFigures(LOGITS, LABELS, -100, value, BINS).ece;
    await waitForText(panel, ECE, (t) => Math.abs(Number(t) - atFit) < 1e-6, 60_000);
    await screenshot(page, 'calibration-fitted');
    await editorText.click();
    await page.keyboard.press('Control+Z');
    await editorText.filter({ hasText: '"temperature"' }).waitFor({ state: 'detached', timeout: 15_000 });
    expect(await editorText.filter({ hasText: '"temperature"' }).count()).toBe(0);
  }, 180_000);
});

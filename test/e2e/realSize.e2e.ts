// A real model's outputs in a real VS Code with default settings: a 50,000 ×
// 1,000 float32 .npy (200 MB) opens, streamed in the worker, with its loss on
// screen after "Open visualizer"; a click on its worst element shows that
// element's softmax and gradient; a label smoothing step re-runs from the kept
// per-element terms. Times are written to test-artifacts/e2e/real-size.json.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { npyBytes } from '../../core/npyWrite';
import { numbers } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { ARTIFACTS, openFile, openVisualizerLens, panelFrame, screenshot, waitForText } from './workbench';

const [ROWS, CLASSES, TILE] = [50_000, 1_000, 500];
const LOSS = '[data-testid="loss-imagenet"]';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A seeded 500-row tile of logits, repeated 100 times (the file is written in a second), with its labels. */
const next = lcg(7);
const tile = new Float32Array(TILE * CLASSES).map(() => 6 * (next() - 0.5));
const labels = Array.from({ length: TILE }, () => Math.floor(next() * CLASSES));
for (let r = 0; r < TILE; r += 2) tile[r * CLASSES + labels[r]] += 8; // half the rows right, as a trained model's

/** The mean loss of the tile in float64 (every tile is the same, so the file's mean is the tile's). */
function expectedLoss(): number {
  let total = 0;
  for (let r = 0; r < TILE; r++) {
    const row = tile.subarray(r * CLASSES, (r + 1) * CLASSES);
    const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
    total += max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[labels[r]];
  }
  return total / TILE;
}

function writeImagenetSize(workspace: string): void {
  const dir = path.join(workspace, 'real');
  mkdirSync(dir, { recursive: true });
  const fd = openSync(path.join(dir, 'imagenet-logits.npy'), 'w');
  writeSync(fd, npyBytes('<f4', [ROWS, CLASSES], []));
  for (let t = 0; t < ROWS / TILE; t++) writeSync(fd, new Uint8Array(tile.buffer));
  closeSync(fd);
  writeFileSync(
    path.join(dir, 'imagenet-labels.npy'),
    npyBytes(
      '<i8',
      [ROWS],
      Array.from({ length: ROWS }, (_, n) => labels[n % TILE]),
    ),
  );
  const cell = {
    type: 'loss',
    id: 'imagenet',
    title: 'ImageNet-size outputs',
    logits: { npy: 'imagenet-logits.npy' },
    target: { npy: 'imagenet-labels.npy' },
  };
  writeFileSync(path.join(dir, 'imagenet.ce.json'), `${JSON.stringify({ title: 'Real-size outputs', cells: [cell] }, null, 2)}\n`);
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
    expect(Number(numbers(text)[0])).toBeCloseTo(expectedLoss(), 4);
    await screenshot(page, 'real-size-imagenet');
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
});

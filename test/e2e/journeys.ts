// The journeys the desktop and the web suites both take, checked the same way
// in both: sorix's numbers, Stop from the editor title, Reload Window, Export.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SORIX_LOSS, numbers, stepOf } from './scenarios';
import { frameWith, openFile, openVisualizerLens, panelFrame, runCommand, typeInCommandPalette, waitForStable, waitForText } from './workbench';

/** Opens sorix.ce.json and waits for its "Open visualizer" CodeLens; returns the lens. */
export async function sorixLens(page: Page): Promise<Locator> {
  await openFile(page, 'sorix.ce.json');
  const lens = openVisualizerLens(page);
  await lens.waitFor({ timeout: 60_000 });
  return lens;
}

/** The sorix example's loss and gradient as the panel shows them (PyTorch's numbers, to 4 places). */
export async function expectSorixNumbers(panel: Frame): Promise<void> {
  const loss = await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'));
  expect(numbers(loss)).toEqual(['0.2159']);
  // d(mean loss)/d(logits) = (softmax - onehot) / 2, row by row.
  const grad = await waitForText(panel, '[data-testid="grad-table-two-samples"]', (t) => numbers(t).includes('-0.1705'));
  expect(numbers(grad)).toEqual(expect.arrayContaining(['-0.1705', '0.1212', '0.0493', '0.0033', '-0.0074', '0.0041']));
}

const TRAIN_STATUS = '[data-testid="train-status-long"]';

/** The editor title's Run and Stop buttons, shown by the ceLab.running context key. */
const titleButton = (page: Page, icon: 'play' | 'debug-stop') => page.locator(`.editor-group-container .editor-actions .codicon-${icon}`);

/** Opens long.ce.json and waits for its training to stream, with Stop (not Run) in the editor title; returns the panel. */
export async function startLongTraining(page: Page): Promise<Frame> {
  await openFile(page, 'long.ce.json');
  const panel = await panelFrame(page);
  await waitForText(panel, TRAIN_STATUS, (t) => stepOf(t) > 0, 60_000);
  await titleButton(page, 'debug-stop').waitFor({ timeout: 15_000 });
  expect(await titleButton(page, 'play').count()).toBe(0);
  return panel;
}

/** Clicks Stop in the editor title: the step count settles short of `steps`, Run is back in the title, the cell says "stopped". */
export async function stopFromTitle(page: Page, panel: Frame, steps: number): Promise<void> {
  await titleButton(page, 'debug-stop').click();
  // Stopped: the step count settles (once the panel has drawn what was already sent) well short of the end.
  const atStop = stepOf(await waitForStable(panel, TRAIN_STATUS, 3000));
  expect(atStop).toBeGreaterThan(0);
  expect(atStop).toBeLessThan(steps);
  await titleButton(page, 'play').waitFor({ timeout: 15_000 });
  expect(await titleButton(page, 'debug-stop').count()).toBe(0);
  await waitForText(panel, '[data-testid="status-long"]', (t) => t === 'stopped');
}

/** Runs long.ce.json again (Run Scenario) and waits until the new run streams steps. */
export async function rerunLongTraining(page: Page, panel: Frame): Promise<void> {
  const before = stepOf(await panel.locator(TRAIN_STATUS).innerText());
  await runCommand(page, 'CE Lab: Run Scenario');
  await waitForText(panel, TRAIN_STATUS, (t) => stepOf(t) > 0 && stepOf(t) !== before, 30_000);
}

/** Saves sorix.ce.json (so the reload asks nothing about unsaved changes). */
export async function saveSorix(page: Page): Promise<void> {
  await openFile(page, 'sorix.ce.json');
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
}

/** Developer: Reload Window; returns the restored panel once it shows sorix's loss again. */
export async function reloadWindow(page: Page): Promise<Frame> {
  await page.waitForTimeout(500); // the webview's state is saved debounced
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  const panel = await panelFrame(page, 60_000);
  await waitForText(panel, SORIX_LOSS, (t) => numbers(t).includes('0.2159'), 60_000);
  return panel;
}

/** CE Lab: Export Results… up to code-server's own save dialog: a path box, prefilled with the name beside the scenario. */
export async function openExportDialog(page: Page): Promise<void> {
  await runCommand(page, 'CE Lab: Export Results…');
  await page.waitForFunction(
    () => (document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? '').endsWith('sorix.results.json'),
    undefined,
    { timeout: 15_000 },
  );
}

interface ExportedResults {
  title?: string;
  cells: { id?: string; loss?: number | string }[];
}

/** Accepts the prefilled path; returns the results document written into `workspace`, once it is there. */
export async function acceptExport(page: Page, workspace: string): Promise<ExportedResults> {
  await page.locator('.quick-input-widget input').press('Enter');
  const target = path.join(workspace, 'sorix.results.json');
  // Written by the engine's worker, whole or not at all (node/atomicWrite.ts): once there, it parses.
  await expect.poll(() => existsSync(target), { timeout: 15_000 }).toBe(true);
  return JSON.parse(readFileSync(target, 'utf8')) as ExportedResults;
}

/** The loss of sorix's cell in an exported results document, to 4 places. */
export const exportedSorixLoss = (doc: ExportedResults): string => Number(doc.cells.find((c) => c.id === 'two-samples')?.loss).toFixed(4);

/** Opens `name` in the text editor, then "CE Lab: Open as Notebook"; waits for the notebook editor. */
export async function openAsNotebook(page: Page, name: string): Promise<void> {
  await openFile(page, name);
  await runCommand(page, 'CE Lab: Open as Notebook');
  await page.locator('.editor-group-container.active .notebook-editor').waitFor({ timeout: 30_000 });
}

/**
 * "Notebook: Run All" from the palette. The palette lists it only once the notebook editor has focus, which comes a
 * moment after the notebook opens: until the row shows, the palette is closed, the notebook's tab clicked (focusing
 * its editor) and the palette opened again. (Clicking the toolbar's Run All did not run the cells in code-server 4.139.)
 */
export async function runAllCells(page: Page): Promise<void> {
  const title = 'Notebook: Run All';
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await typeInCommandPalette(page, `>${title}`);
    const listed = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (listed) break;
    if (attempt === 6) throw new Error(`"${title}" never showed in the command palette`);
    await page.keyboard.press('Escape');
    await page.locator('.editor-group-container.active .tab.active').first().click();
  }
  await page.keyboard.press('Enter');
}

/** `name` (sorix.ce.json or a copy) as a notebook, Run All: PyTorch's loss and gradient in the loss cell's output. Returns the output frame. */
export async function sorixNotebookRunAll(page: Page, name: string, context?: () => string): Promise<Frame> {
  await openAsNotebook(page, name);
  await frameWith(page, 'text=Two samples with three classes', 60_000, context); // Markdown cells are drawn in the notebook's webview too
  await runAllCells(page);
  const output = await frameWith(page, SORIX_LOSS, 60_000, context);
  await expectSorixNumbers(output);
  return output;
}

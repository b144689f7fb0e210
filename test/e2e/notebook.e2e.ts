// The scenario as a notebook in a real VS Code (code-server): "CE Lab: Open as
// Notebook", Run All with PyTorch's numbers drawn by the panel's own views in
// the outputs, a training that streams and stops, an edit saved into only its
// cell's span, light and dark screenshots, and a scenario opened as a notebook
// by `workbench.editorAssociations` that saves unchanged.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellSpan } from '../../extension/notebook/notebookText';
import * as journey from './journeys';
import { LONG_TRAINING, SORIX_LOSS, numbers, stepOf } from './scenarios';
import { codeServerMissing, useWorkbench } from './suite';
import { frameWith, quickOpen, runCommand, screenshot, waitForStable, waitForText } from './workbench';

/** Writes workspace settings (the workbench applies them live) on top of what prepareWorkspace wrote. */
function setWorkspaceSettings(workspace: string, more: Record<string, unknown>): void {
  const file = path.join(workspace, '.vscode', 'settings.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...more }, null, 2));
}

const notebookEditor = (page: Page) => page.locator('.editor-group-container.active .notebook-editor');

/** The workbench's console errors (the extension host's among them), said when an output never comes. */
const consoleErrors: string[] = [];
const errorsSeen = () => `; console errors:\n${consoleErrors.slice(-10).join('\n')}`;
const outputFrame = (page: Page, selector: string) => frameWith(page, selector, 60_000, errorsSeen);

describe('CE Lab Notebook in real VS Code', () => {
  if (codeServerMissing()) return;
  let page: Page;
  let workspace: string;
  useWorkbench({
    name: 'notebook',
    prepare: (folder) => {
      // One line of JSON: the cell stays short, so its output is in view (the notebook draws an output only then).
      writeFileSync(path.join(folder, 'long-notebook.ce.json'), JSON.stringify(LONG_TRAINING));
      // A scenario the association opens as a notebook, set before the workbench starts (a settings change applies later).
      copyFileSync(path.join(folder, 'sorix.ce.json'), path.join(folder, 'unseen-sorix.ce.json'));
      // No auto save: the save test saves the edited notebook itself, and reads the bytes File: Save wrote.
      setWorkspaceSettings(folder, { 'workbench.editorAssociations': { 'unseen-*.ce.json': 'ce-lab-notebook' }, 'files.autoSave': 'off' });
    },
    ready: (p, w) => {
      [page, workspace] = [p, w];
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    },
  });

  it('opens sorix.ce.json as a notebook; Run All shows PyTorch numbers in the outputs', async () => {
    const output = await journey.sorixNotebookRunAll(page, 'sorix.ce.json', errorsSeen);
    // The training ran to its end (its output is below the fold, drawn but hidden).
    await output.locator('[data-testid="status-linear-sgd"][data-status="ok"]').waitFor({ state: 'attached', timeout: 60_000 });
    await screenshot(page, 'notebook-01-run-all-light');
  });

  it('draws the outputs in the dark theme too', async () => {
    setWorkspaceSettings(workspace, { 'workbench.colorTheme': 'Default Dark Modern' });
    const output = await outputFrame(page, '[data-testid="loss-two-samples"]');
    await output.locator('body.vscode-dark').waitFor({ state: 'attached', timeout: 30_000 });
    await journey.expectSorixNumbers(output);
    await screenshot(page, 'notebook-02-run-all-dark');
  });

  it("a knob in a cell's output edits that cell; saving rewrites only that cell's span", async () => {
    const file = path.join(workspace, 'sorix.ce.json');
    const before = readFileSync(file, 'utf8');
    const output = await outputFrame(page, '[data-testid="knob-label_smoothing-two-samples"]');
    const knob = output.locator('[data-testid="knob-label_smoothing-two-samples"]');
    await knob.focus();
    await knob.press('ArrowRight');
    await page.locator('.notebook-editor .view-lines', { hasText: 'label_smoothing' }).first().waitFor({ timeout: 15_000 });
    // The edited cell ran again: its loss is no longer the unsmoothed one.
    await waitForText(output, '[data-testid="loss-two-samples"]', (t) => numbers(t).length === 1 && !numbers(t).includes('0.2159'));
    // Saved once the notebook is dirty (the edit reached it), and then on disk.
    await page.locator('.tab.active.dirty').waitFor({ state: 'attached', timeout: 15_000 });
    await runCommand(page, 'File: Save');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 15_000 }).not.toBe(before);
    const after = readFileSync(file, 'utf8');
    const span = cellSpan(before, 1)!;
    expect(after.slice(0, span.offset)).toBe(before.slice(0, span.offset));
    expect(after.endsWith(before.slice(span.offset + span.length))).toBe(true);
    expect(JSON.parse(after).cells[1].label_smoothing).toBeGreaterThan(0);
  });

  it('a long training streams into its output, and Interrupt stops it', async () => {
    await journey.openAsNotebook(page, 'long-notebook.ce.json');
    await journey.runAllCells(page);
    const output = await outputFrame(page, '[data-testid="train-status-long"]');
    await waitForText(output, '[data-testid="train-status-long"]', (t) => stepOf(t) > 0, 60_000);
    const first = stepOf(await output.locator('[data-testid="train-status-long"]').innerText());
    await waitForText(output, '[data-testid="train-status-long"]', (t) => stepOf(t) > first, 60_000);
    await screenshot(page, 'notebook-03-training');
    // The notebook toolbar's Interrupt, there while its cells run (the kernel has an interrupt handler).
    await page.getByText('Interrupt', { exact: true }).first().click();
    const atStop = stepOf(await waitForStable(output, '[data-testid="train-status-long"]', 3000));
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(1_000_000);
    await waitForText(output, '[data-testid="status-long"]', (t) => t === 'stopped');
  });

  it('with workbench.editorAssociations, a scenario opens as a notebook, Run All shows PyTorch numbers, and it saves unchanged', async () => {
    const file = path.join(workspace, 'unseen-sorix.ce.json');
    const before = readFileSync(file, 'utf8');
    // Only this notebook's outputs on the page: the frame found is its own.
    await runCommand(page, 'View: Close All Editors');
    await quickOpen(page, 'unseen-sorix.ce.json');
    await notebookEditor(page).waitFor({ timeout: 30_000 });
    await journey.runAllCells(page);
    await journey.expectSorixNumbers(await outputFrame(page, SORIX_LOSS));
    await screenshot(page, 'notebook-04-associated');
    await runCommand(page, 'File: Save');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

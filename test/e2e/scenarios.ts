// What the desktop and the web end-to-end suites share: the workspace they open
// and the numbers the panel must show.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** A training long enough to still be running when the test stops it. */
export const LONG_TRAINING = {
  version: 1,
  title: 'Long training (for Stop and worker recovery)',
  cells: [
    {
      type: 'train',
      id: 'long',
      model: { layers: [2, 64, 64, 2], activation: 'tanh' },
      data: {
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        target: [0, 1, 1, 0],
      },
      optimizer: { type: 'sgd', lr: 0.01 },
      steps: 1000000,
    },
  ],
};

/**
 * A copy of examples/ (edits stay out of the repo) with long.ce.json added, in a temporary
 * folder as a user's copy would be: the examples rely on the schema the extension contributes.
 * Returns the workspace folder.
 */
export function prepareWorkspace(): string {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ce-lab-ws-'));
  const workspace = path.join(scratch, 'examples');
  cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  writeFileSync(path.join(workspace, 'long.ce.json'), JSON.stringify(LONG_TRAINING, null, 2));
  // The long training is over the default limits on purpose: the workspace raises them, as a user would.
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'ceLab.limits.maxTrainSteps': 1e8, 'ceLab.limits.maxWork': 1e15 }, null, 2),
  );
  return workspace;
}

/** Mean cross-entropy of index targets, to 4 places: what the panel must show after an edit. */
function meanCe(logits: number[][], target: number[]): string {
  const per = logits.map((row, i) => {
    const m = Math.max(...row);
    return Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m - row[target[i]];
  });
  return (per.reduce((a, b) => a + b, 0) / per.length).toFixed(4);
}

/** meanCe of the sorix example's two samples (targets 0 and 1) with `firstRow` as the first row's logits, all logits divided by `temperature`. */
export function sorixMeanCe(firstRow: number[], temperature = 1): string {
  return meanCe(
    [firstRow, [0, 5, 0.2]].map((row) => row.map((z) => z / temperature)),
    [0, 1],
  );
}

/** The element that shows the loss of sorix.ce.json's cell. */
export const SORIX_LOSS = '[data-testid="loss-two-samples"]';

/** The decimal numbers in a text (the panel prints 6 places, a minus may be U+2212), rounded to 4. */
export function numbers(text: string): string[] {
  return (text.replace(/\u2212/g, '-').match(/-?\d+\.\d+/g) ?? []).map((n) => Number(n).toFixed(4));
}

/** The training step a train cell's status line shows. */
export const stepOf = (t: string): number => Number(/step (\d+)/.exec(t)?.[1] ?? NaN);

/** Writes `file` in `dir`: a scenario titled `title` of the one loss cell `cell` (its tensors in files beside it). */
export function writeLossScenario(dir: string, file: string, title: string, cell: Record<string, unknown>): void {
  writeFileSync(path.join(dir, file), `${JSON.stringify({ title, cells: [{ type: 'loss', ...cell }] }, null, 2)}\n`);
}

// A 1,000,000 × 1,000 float32 .npy (1e9 logits, 4 GB) through `ce-lab run` with
// default settings: it streams in bounded memory (peak RSS ≤ 500 MB) and gives
// the loss worked out here in float64. The file tiles one seeded 1,000-row
// block 1,000 times (so the reference needs one block), written to a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeTiledLogits } from '../helpers/tiledLogits';

const [ROWS, CLASSES, TILE] = [1_000_000, 1_000, 1_000];
const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-billion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('evaluates 1e9 logits in ≤ 500 MB, with the loss of its 1,000-row tile', () => {
  const { meanLoss: expected } = writeTiledLogits(path.join(dir, 'logits.npy'), path.join(dir, 'labels.npy'), {
    rows: ROWS,
    classes: CLASSES,
    tile: TILE,
    seed: 20261207,
  });
  writeFileSync(
    path.join(dir, 'billion.ce.json'),
    JSON.stringify({ cells: [{ type: 'loss', id: 'billion', logits: { npy: 'logits.npy' }, target: { npy: 'labels.npy' } }] }),
  );

  const out = execFileSync(
    '/usr/bin/python3',
    ['scripts/realSize/measure.py', process.execPath, 'dist/cli.js', 'run', path.join(dir, 'billion.ce.json'), '--json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const { peak_rss_mb: peak, stdout } = JSON.parse(out);
  const cell = JSON.parse(stdout).cells[0];
  expect(cell.ok).toBe(true);
  expect(Math.abs(cell.loss - expected)).toBeLessThanOrEqual(2e-6 * expected);
  expect(peak).toBeLessThanOrEqual(500);
  process.stdout.write(`1e9 logits: loss ${cell.loss} (expected ${expected}), peak RSS ${peak.toFixed(0)} MB\n`);
});

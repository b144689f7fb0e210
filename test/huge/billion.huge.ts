// A 1,000,000 × 1,000 float32 .npy (1e9 logits, 4 GB) through `ce-lab run` with
// default settings: it streams in bounded memory (peak RSS ≤ 500 MB) and gives
// the loss worked out here in float64. The file tiles one seeded 1,000-row
// block 1,000 times (so the reference needs one block), written to a temp folder.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { npyBytes } from '../../core/npyWrite';

const [ROWS, CLASSES, TILE] = [1_000_000, 1_000, 1_000];
const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-billion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

it('evaluates 1e9 logits in ≤ 500 MB, with the loss of its 1,000-row tile', () => {
  const next = lcg(20261207);
  const tile = new Float32Array(TILE * CLASSES).map(() => 8 * (next() - 0.5));
  const labels = Array.from({ length: TILE }, () => Math.floor(next() * CLASSES));
  const header = npyBytes('<f4', [ROWS, CLASSES], []);
  const fd = openSync(path.join(dir, 'logits.npy'), 'w');
  writeSync(fd, header.subarray(0, header.length));
  for (let t = 0; t < ROWS / TILE; t++) writeSync(fd, new Uint8Array(tile.buffer));
  closeSync(fd);
  writeFileSync(
    path.join(dir, 'labels.npy'),
    npyBytes(
      '<i8',
      [ROWS],
      Array.from({ length: ROWS }, (_, n) => labels[n % TILE]),
    ),
  );
  writeFileSync(
    path.join(dir, 'billion.ce.json'),
    JSON.stringify({ cells: [{ type: 'loss', id: 'billion', logits: { npy: 'logits.npy' }, target: { npy: 'labels.npy' } }] }),
  );

  // The mean loss of one tile, in float64 from the float32 logits: every tile is the same.
  let total = 0;
  for (let r = 0; r < TILE; r++) {
    const row = tile.subarray(r * CLASSES, (r + 1) * CLASSES);
    const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    total += max + logSum - row[labels[r]];
  }
  const expected = total / TILE;

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

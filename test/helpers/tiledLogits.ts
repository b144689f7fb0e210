// Large logits files for tests, written in seconds: one seeded tile of rows
// repeated, so the file's mean loss is the tile's, worked out here in float64
// (independently of the engine) from the float32 values the file holds.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { npyBytes } from '../../core/npyWrite';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface TiledLogits {
  /** The mean cross-entropy of the whole file (every tile is the same). */
  meanLoss: number;
  /** The tile's rows of float32 logits and their labels: every figure over rows (a mean, a fraction per bin) is the file's. */
  tile: { rows: number[][]; labels: number[] };
}

/**
 * Writes `rows` × `classes` float32 logits to `logitsFile` (uniform in ±`spread`/2, the target's logit raised by
 * `raise` in every other row, as a trained model's) and their int64 labels to `labelsFile`.
 */
export function writeTiledLogits(
  logitsFile: string,
  labelsFile: string,
  {
    rows,
    classes,
    tile,
    seed,
    spread = 8,
    raise = 0,
  }: { rows: number; classes: number; tile: number; seed: number; spread?: number; raise?: number },
): TiledLogits {
  const next = lcg(seed);
  const values = new Float32Array(tile * classes).map(() => spread * (next() - 0.5));
  const labels = Array.from({ length: tile }, () => Math.floor(next() * classes));
  for (let r = 0; r < tile; r += 2) values[r * classes + labels[r]] += raise;
  const fd = openSync(logitsFile, 'w');
  writeSync(fd, npyBytes('<f4', [rows, classes], []));
  for (let t = 0; t < rows / tile; t++) writeSync(fd, new Uint8Array(values.buffer));
  closeSync(fd);
  writeFileSync(
    labelsFile,
    npyBytes(
      '<i8',
      [rows],
      Array.from({ length: rows }, (_, n) => labels[n % tile]),
    ),
  );
  let total = 0;
  for (let r = 0; r < tile; r++) {
    const row = values.subarray(r * classes, (r + 1) * classes);
    const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
    total += max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[labels[r]];
  }
  const tileRows = Array.from({ length: tile }, (_, r) => Array.from(values.subarray(r * classes, (r + 1) * classes)));
  return { meanLoss: total / tile, tile: { rows: tileRows, labels } };
}

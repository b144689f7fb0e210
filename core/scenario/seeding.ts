// Every random choice of a scenario comes from a generator seeded by the
// scenario's seed, the id of the cell that asks and the value's place inside
// that cell. So editing, inserting, moving or deleting other cells never changes
// a cell's random numbers; only a cell without an id (keyed by its position,
// "cell-<index>") gets new ones when cells before it come or go.
import { MT19937 } from '../random';
import type { JsonPath } from '../results';

export interface RandomSeeding {
  /** The scenario's "seed". */
  seed: number;
  /** Each cell's id by index ("cell-<index>" for a cell without one). */
  cellIds: readonly string[];
}

/** The value's path with the cell's index replaced by the cell's id. */
function keyOf(cellIds: readonly string[], path: JsonPath): JsonPath {
  return path[0] === 'cells' && typeof path[1] === 'number' ? [cellIds[path[1]] ?? path[1], ...path.slice(2)] : path;
}

/** FNV-1a over the key's text, mixed with the seed. */
function mix(seed: number, key: JsonPath): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of JSON.stringify(key)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function generatorFor(seeding: RandomSeeding, path: JsonPath): MT19937 {
  return new MT19937(mix(seeding.seed, keyOf(seeding.cellIds, path)));
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(generator: MT19937, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = generator.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

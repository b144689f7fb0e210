// Every random choice of a scenario comes from a generator seeded by the
// scenario's seed and the JSON path of the value that asks for it, so editing
// one cell never changes the random numbers of another.
import { MT19937 } from '../random';
import type { JsonPath } from '../results';

/** FNV-1a over the path's text, mixed with the seed. */
function mix(seed: number, path: JsonPath): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of JSON.stringify(path)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function generatorFor(seed: number, path: JsonPath): MT19937 {
  return new MT19937(mix(seed, path));
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

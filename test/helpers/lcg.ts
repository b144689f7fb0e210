// A small seeded generator for test data: uniform numbers in [0, 1), the same
// sequence for the same seed on every run (no dependence on Math.random).

export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

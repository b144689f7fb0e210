// erf against Python's math.erf (C's erf), on both sides of 0: GELU needs negative inputs too.
import { describe, expect, it } from 'vitest';
import { erf } from '../../core/compute/erf';

// [x, math.erf(x)] from CPython 3.11.
const CASES: [number, number][] = [
  [-0.5, -0.5204998778130465],
  [-2.5, -0.999593047982555],
  [-1e-3, -0.0011283787909692365],
  [-4, -0.9999999845827421],
  [0.5, 0.5204998778130465],
  [2.5, 0.999593047982555],
];

describe('erf', () => {
  it.each(CASES)('erf(%d) matches math.erf', (x, expected) => {
    expect(Math.abs(erf(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
  });
});

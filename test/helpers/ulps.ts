// Worst-case error of a vectorised math function in units in the last place,
// over samples of the whole float32 / float64 range.
import { expect } from 'vitest';
import { MT19937 } from '../../core/random';

/** The gap between float32s / float64s at v (the subnormal spacing below the normal range). */
export const ulp32 = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -126) - 23);
export const ulp64 = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -1022) - 52);

/** Every 4099th float32 bit pattern (≈1M values over the whole range) plus the edges. */
export function float32Sample(): Float32Array {
  const bits = new Uint32Array(Math.floor(2 ** 32 / 4099) + 8);
  for (let i = 0; i < bits.length - 8; i++) bits[i] = i * 4099;
  const out = new Float32Array(bits.buffer);
  out.set([Infinity, -Infinity, NaN, 0, -0, 88.72283, 88.72284, -103.97], bits.length - 8);
  return out;
}

/** 2^20 random float64 bit patterns, 2^20 values spread over exp's finite range, and the edges. */
export function float64Sample(): Float64Array {
  const g = new MT19937(7);
  const n = 1 << 20;
  const out = new Float64Array(2 * n + 8);
  const words = new Uint32Array(out.buffer, 0, 2 * n);
  for (let i = 0; i < words.length; i++) words[i] = g.nextUint32();
  for (let i = 0; i < n; i++) out[n + i] = -750 + 1462 * g.nextDouble();
  out.set([Infinity, -Infinity, NaN, 0, -0, 709.782712893384, 709.7827128933841, -745.1332191019412], 2 * n);
  return out;
}

/** The worst error in ulps of the reference; non-finite, zero and NaN references must be matched exactly. */
export function worstUlps(got: ArrayLike<number>, input: ArrayLike<number>, reference: (x: number) => number, ulp: (v: number) => number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const want = reference(input[i]);
    if (!Number.isFinite(want) || want === 0) {
      if (!Object.is(got[i], want) && !(want === 0 && got[i] === 0)) expect.fail(`f(${input[i]}) gave ${got[i]}, expected ${want}`);
      continue;
    }
    worst = Math.max(worst, Math.abs(got[i] - want) / ulp(want));
  }
  return worst;
}

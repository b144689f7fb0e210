// The training kernels of every kernel set. The WebAssembly SIMD matmul, column
// sums and activation backward are vectorised over output columns, so each output
// keeps the plain-TypeScript kernels' order of operations: they must agree bit
// for bit. tanh is a polynomial in WebAssembly: its worst error is measured over
// the whole float range against V8's Math.tanh (fdlibm, < 1 ulp).
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../core/compute/kernelSet';
import { availableKernelSets } from '../../core/compute/registry';
import type { TrainKernels } from '../../core/compute/trainKernels';
import { MT19937 } from '../../core/random';
import type { Dtype } from '../../core/results';
import { float32Sample, float64Sample, ulp32, ulp64, worstUlps } from '../helpers/ulps';

const sets = availableKernelSets();
const typescript = sets.find((s) => s.name === 'typescript')!;
const wasm = sets.find((s) => s.name === 'wasm-simd');

/** An arena holding `values`, one view per array, in the kernel set's memory. */
function arena(set: typeof typescript, dtype: Dtype, values: ArrayLike<number>[]): { k: TrainKernels; views: FloatArray[] } {
  const k = set.trainArena(
    dtype,
    values.reduce((s, v) => s + v.length, 0),
  );
  let at = 0;
  const views = values.map((v) => {
    const view = k.heap.subarray(at, (at += v.length));
    view.set(v);
    return view;
  });
  return { k, views };
}

const g = new MT19937(3);
const randn = (n: number) => Array.from({ length: n }, () => g.nextNormal());

/** Runs `call` on the same inputs in each kernel set; returns every view after it. */
function both(dtype: Dtype, values: ArrayLike<number>[], call: (k: TrainKernels, v: FloatArray[]) => void): [number[][], number[][]] {
  const run = (set: typeof typescript) => {
    const { k, views } = arena(set, dtype, values);
    call(k, views);
    return views.map((v) => Array.from(v));
  };
  return [run(typescript), run(wasm!)];
}

describe('training kernels', () => {
  it('has the WebAssembly SIMD set in this runtime (Node ≥ 20 has WebAssembly SIMD)', () => {
    expect(wasm).toBeDefined();
  });

  describe.each(['float32', 'float64'] as const)('%s: WebAssembly SIMD agrees bit for bit with TypeScript', (dtype) => {
    // Shapes with column and row tails (not multiples of 4 rows, 2 vectors), and A read transposed.
    it.each([
      [1, 1, 1, false, true],
      [5, 3, 7, false, true],
      [4, 64, 64, false, true],
      [13, 9, 19, true, false],
      [64, 37, 2, true, true],
      [7, 2, 16, false, false],
    ])('matmul %i×%i·%i×n (A transposed: %s, bias: %s)', (m, k, n, transposed, withBias) => {
      const [aRow, aCol] = transposed ? [1, m] : [k, 1];
      const [ts, simd] = both(dtype, [randn(m * k), randn(k * n), randn(n), new Float64Array(m * n)], (kk, [a, b, bias, out]) =>
        kk.matmul(a, aRow, aCol, b, m, k, n, withBias ? bias : null, out),
      );
      expect(simd[3]).toEqual(ts[3]);
    });

    it('column sums and transpose', () => {
      const [ts, simd] = both(dtype, [randn(37 * 11), new Float64Array(11), new Float64Array(37 * 11)], (k, [a, sums, t]) => {
        k.columnSums(a, 37, 11, sums);
        k.transpose(a, 37, 11, t);
      });
      expect(simd).toEqual(ts);
    });

    it('relu and tanh backward, relu forward (NaN, ±0 and ±inf included)', () => {
      const z = [...randn(61), NaN, -0, 0, Infinity, -Infinity];
      const y = z.map(Math.tanh);
      const [ts, simd] = both(dtype, [z, randn(z.length), randn(z.length), y, new Float64Array(z.length)], (k, [zz, g1, g2, yy, out]) => {
        k.activation('relu', zz, out, zz.length);
        k.activationBackward('relu', g1, zz, out, zz.length);
        k.activationBackward('tanh', g2, zz, yy, zz.length);
      });
      expect(simd).toEqual(ts);
      expect(Object.is(simd[4][62], 0)).toBe(true);
    });
  });

  const tanhOf = (dtype: Dtype, x: FloatArray) => {
    const { k, views } = arena(wasm!, dtype, [x, new Float64Array(x.length)]);
    k.activation('tanh', views[0], views[1], x.length);
    return views[1];
  };

  it('float32 tanh is within 1 ulp everywhere, with exact ±0, ±1 at ±inf and NaN', () => {
    const x = float32Sample();
    expect(worstUlps(tanhOf('float32', x), x, (v) => Math.fround(Math.tanh(v)), ulp32)).toBeLessThanOrEqual(1);
  });

  it('float64 tanh is within 200 ulp (2.2e-14 relative: 1 − e^(−2|x|) cancels near 2^−10) everywhere, with exact ±0, ±1 and NaN', () => {
    const x = float64Sample();
    expect(worstUlps(tanhOf('float64', x), x, Math.tanh, ulp64)).toBeLessThanOrEqual(200);
  });
});

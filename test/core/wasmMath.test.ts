// The WebAssembly kernels' exp (a vectorised polynomial) and log, over the whole
// float range: the worst error in units in the last place against V8's Math.exp /
// Math.log (fdlibm, < 1 ulp), and the special values PyTorch's golden cases hold.
import { describe, expect, it } from 'vitest';
import { place } from '../../core/compute/wasmArena';
import { instantiateWasmKernels, type WasmKernelExports } from '../../core/compute/wasmModule';
import { MT19937 } from '../../core/random';

const wasm = instantiateWasmKernels();

function apply(
  kernel: (x: number, out: number, n: number) => void,
  w: WasmKernelExports,
  values: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const B = values.BYTES_PER_ELEMENT;
  const [x, out] = place(w, [values.length * B, values.length * B]);
  const Array_ = values instanceof Float32Array ? Float32Array : Float64Array;
  new Array_(w.memory.buffer, x, values.length).set(values);
  kernel(x, out, values.length);
  return new Array_(w.memory.buffer, out, values.length).slice();
}

/** The gap between float32s / float64s at v (the subnormal spacing below the normal range). */
const ulp32 = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -126) - 23);
const ulp64 = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -1022) - 52);

/** Every 4099th float32 bit pattern (≈1M values over the whole range) plus the edges. */
function float32Sample(): Float32Array {
  const bits = new Uint32Array(Math.floor(2 ** 32 / 4099) + 8);
  for (let i = 0; i < bits.length - 8; i++) bits[i] = i * 4099;
  const out = new Float32Array(bits.buffer);
  out.set([Infinity, -Infinity, NaN, 0, -0, 88.72283, 88.72284, -103.97], bits.length - 8);
  return out;
}

/** 2^20 random float64 bit patterns, 2^20 values spread over exp's finite range, and the edges. */
function float64Sample(): Float64Array {
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
function worstUlps(got: ArrayLike<number>, input: ArrayLike<number>, reference: (x: number) => number, ulp: (v: number) => number): number {
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

describe('WebAssembly SIMD math', () => {
  it('is available in this runtime (Node ≥ 20 has WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
  });
  const w = wasm!;

  it('float32 exp is within 1 ulp everywhere (subnormals included), with exact 0, +inf and NaN', () => {
    const x = float32Sample();
    expect(worstUlps(apply(w.expF32, w, x), x, (v) => Math.fround(Math.exp(v)), ulp32)).toBeLessThanOrEqual(1);
  });

  it('float64 exp is within 2 ulp everywhere, with exact 0, +inf and NaN', () => {
    const x = float64Sample();
    expect(worstUlps(apply(w.expF64, w, x), x, Math.exp, ulp64)).toBeLessThanOrEqual(2);
  });

  it('float32 log is within 1 ulp everywhere (NaN below 0, −inf at 0)', () => {
    const x = float32Sample();
    expect(worstUlps(apply(w.logF32, w, x), x, (v) => Math.fround(Math.log(v)), ulp32)).toBeLessThanOrEqual(1);
  });

  it('float64 log is within 1 ulp everywhere (NaN below 0, −inf at 0)', () => {
    const x = float64Sample();
    expect(worstUlps(apply(w.logF64, w, x), x, Math.log, ulp64)).toBeLessThanOrEqual(1);
  });
});

// The WebAssembly kernels' exp (a vectorised polynomial) and log, over the whole
// float range: the worst error in units in the last place against V8's Math.exp /
// Math.log (fdlibm, < 1 ulp), and the special values PyTorch's golden cases hold.
import { describe, expect, it } from 'vitest';
import { placeCall } from '../../core/compute/wasmArena';
import { instantiateWasmKernels, type WasmKernelExports } from '../../core/compute/wasmModule';
import { float32Sample, float64Sample, ulp32, ulp64, worstUlps } from '../helpers/ulps';

const wasm = instantiateWasmKernels();

type Kernel = 'exp' | 'expNonPositive' | 'log' | 'logOfSum';

function apply(kernel: Kernel, w: WasmKernelExports, values: Float32Array | Float64Array): Float32Array | Float64Array {
  const dtype = values instanceof Float32Array ? 'float32' : 'float64';
  const n = values.length;
  const call = placeCall(w, kernel, dtype, { x: n, out: n }, { n });
  call.float('x')!.set(values);
  call.run();
  return call.float('out')!.slice();
}

/** Every value made ≤ 0 (−|v|; NaN stays NaN), then the two values either side of exp's smallest normal result. */
function nonPositive<A extends Float32Array | Float64Array>(values: A, edges: [number, number]): A {
  const out = values.map((v) => -Math.abs(v)) as A;
  out.set(edges, out.length - edges.length);
  return out;
}

/** Every value made ≥ 1, as the loss kernel's sums of exps are: |v| where it is, else 1 + |v| (NaN stays NaN). */
const atLeastOne = <A extends Float32Array | Float64Array>(values: A): A => values.map((v) => (Math.abs(v) < 1 ? 1 + Math.abs(v) : Math.abs(v))) as A;

/** 0 in place of a result below the smallest normal number. */
const flushed = (v: number, smallestNormal: number): number => (v < smallestNormal ? 0 : v);

describe('WebAssembly SIMD math', () => {
  it('is available in this runtime (Node ≥ 20 has WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
  });
  const w = wasm!;

  /** Each function and dtype: the whole-range sample, the reference rounded to the dtype, its ulp, the worst error allowed. */
  const CASES: [
    name: string,
    kernel: Kernel,
    sample: () => Float32Array | Float64Array,
    reference: (v: number) => number,
    ulp: (v: number) => number,
    worst: number,
  ][] = [
    [
      'float32 exp is within 1 ulp everywhere (subnormals included), with exact 0, +inf and NaN',
      'exp',
      float32Sample,
      (v) => Math.fround(Math.exp(v)),
      ulp32,
      1,
    ],
    ['float64 exp is within 2 ulp everywhere, with exact 0, +inf and NaN', 'exp', float64Sample, Math.exp, ulp64, 2],
    [
      "float32 exp of values ≤ 0 (the loss kernel's) is within 1 ulp down to the smallest normal number, and 0 below it",
      'expNonPositive',
      () => nonPositive(float32Sample(), [-87.33654022216797, -87.3365478515625]),
      (v) => flushed(Math.fround(Math.exp(v)), 2 ** -126),
      ulp32,
      1,
    ],
    [
      "float64 exp of values ≤ 0 (the loss kernel's) is within 1 ulp down to the smallest normal number, and 0 below it",
      'expNonPositive',
      () => nonPositive(float64Sample(), [-708.3964185322641, -708.3964185322642]),
      (v) => flushed(Math.exp(v), 2 ** -1022),
      ulp64,
      1,
    ],
    [
      "float32 log of values ≥ 1 (the loss kernel's, over vectors) is within 1 ulp, with log(1) = 0, +inf and NaN",
      'logOfSum',
      () => atLeastOne(float32Sample()),
      (v) => Math.fround(Math.log(v)),
      ulp32,
      1,
    ],
    [
      "float64 log of values ≥ 1 (the loss kernel's, over vectors) is within 1 ulp, with log(1) = 0, +inf and NaN",
      'logOfSum',
      () => atLeastOne(float64Sample()),
      Math.log,
      ulp64,
      1,
    ],
    ['float32 log is within 1 ulp everywhere (NaN below 0, −inf at 0)', 'log', float32Sample, (v) => Math.fround(Math.log(v)), ulp32, 1],
    ['float64 log is within 1 ulp everywhere (NaN below 0, −inf at 0)', 'log', float64Sample, Math.log, ulp64, 1],
  ];
  it.each(CASES)('%s', (_name, kernel, sample, reference, ulp, worst) => {
    const x = sample();
    expect(worstUlps(apply(kernel, w, x), x, reference, ulp)).toBeLessThanOrEqual(worst);
  });
});

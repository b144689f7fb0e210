// Class-index targets turned into int32 class indices by each kernel set, against
// the rule written out here: a value equal to ignore_index is ignored (−1), an
// integer in [0, C) is its class, anything else makes the call answer −1. Values
// sit in the WebAssembly kernel's vectors of four, its chunks of 32,768 and its
// last one to three values.
import { expect, it } from 'vitest';
import { kernels } from '../../core/compute/registry';
import { MT19937 } from '../../core/random';
import { describeEachKernelSet } from '../helpers/kernelSets';

const CLASSES = 7;

/** The expected indices and ignored count, or null when some value is neither ignored nor a class index. */
function expected(values: Float64Array, ignoreIndex: number): { indices: number[]; ignored: number } | null {
  const indices: number[] = [];
  let ignored = 0;
  for (const v of values) {
    if (v === ignoreIndex) {
      indices.push(-1);
      ignored++;
    } else if (Number.isInteger(v) && v >= 0 && v < CLASSES) indices.push(v);
    else return null;
  }
  return { indices, ignored };
}

const TROUBLE = [NaN, Infinity, -Infinity, 1.5, -1, CLASSES, 2 ** 31, -(2 ** 31), 2 ** 32 + 3, 1e300, -0.5];

describeEachKernelSet('class indices', () => {
  const g = new MT19937(3);
  const valid = (n: number, ignoreIndex: number) => Float64Array.from({ length: n }, () => (g.nextDouble() < 0.2 ? ignoreIndex : g.nextInt(CLASSES)));

  it.each([1, 3, 4, 5, 8, 37, 32768 + 6])('agrees on %i valid values, with ignore_index −100, 0 and 3', (n) => {
    for (const ignoreIndex of [-100, 0, 3]) {
      const values = valid(n, ignoreIndex);
      const out = new Int32Array(n);
      const want = expected(values, ignoreIndex);
      expect(kernels().classIndices(values, CLASSES, ignoreIndex, out)).toBe(want?.ignored);
      expect(Array.from(out)).toEqual(want?.indices);
    }
  });

  it.each(TROUBLE.map((v) => [v]))('answers −1 for a %d anywhere: in a vector, a later chunk or the last values', (bad) => {
    for (const at of [0, 5, 32770, 32772]) {
      const values = valid(32773, -100);
      values[at] = bad;
      expect(kernels().classIndices(values, CLASSES, -100, new Int32Array(values.length))).toBe(-1);
    }
  });

  it('reads −0 as class 0, and a float32 array as well', () => {
    const out = new Int32Array(4);
    expect(kernels().classIndices(Float64Array.from([-0, 1, 2, 3]), CLASSES, -100, out)).toBe(0);
    expect(Array.from(out)).toEqual([0, 1, 2, 3]);
    expect(kernels().classIndices(Float32Array.from([6, -100, 0, 1]), CLASSES, -100, out)).toBe(1);
    expect(Array.from(out)).toEqual([6, -1, 0, 1]);
  });
});

// The streaming JSON writer must give exactly JSON.stringify's text (with the
// strict non-finite strings), whatever the value and however it is cut in pieces,
// with ResultTensors written as the nested arrays they stand for.
import { describe, expect, it } from 'vitest';
import { stringifyStrict } from '../../core/cliDocument';
import { jsonBytes, jsonPieces } from '../../core/jsonText';
import type { ResultTensor } from '../../core/results';
import { runState } from '../helpers/run';
import { golden } from '../helpers/golden';
import { lossScenario } from '../helpers/goldenScenarios';

/** The oracle: typed tensors turned into nested arrays by hand, then the engine's own JSON.stringify. */
function nestedOf(t: ResultTensor): unknown {
  if (t.shape.length === 0) return t.data[0];
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const walk = (dim: number, offset: number): unknown[] =>
    Array.from({ length: t.shape[dim] }, (_, i) => (dim === t.shape.length - 1 ? t.data[offset + i] : walk(dim + 1, offset + i * strides[dim])));
  return walk(0, 0);
}
const isTensor = (v: unknown): v is ResultTensor => {
  const data = (v as Partial<ResultTensor> | null)?.data;
  return data instanceof Float32Array || data instanceof Float64Array;
};
const expected = (value: unknown, indent?: number) =>
  JSON.stringify(
    value,
    (_k, v) =>
      isTensor(v) ? nestedOf(v) : typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v,
    indent,
  );

const tensor = (shape: number[], values: number[], f32 = false): ResultTensor => ({
  shape,
  data: f32 ? Float32Array.from(values) : Float64Array.from(values),
});

describe('jsonPieces', () => {
  const odd = [0, -0, 1.5, -2.25e-300, 5e-324, 1e21, 123456789.123, NaN, Infinity, -Infinity, 0.1 + 0.2];
  const values: [string, unknown][] = [
    ['plain values', { a: 1, b: 'x"\\\u0001\u2028\ud800', c: [true, false, null], d: {}, e: [], f: undefined, g: [undefined, () => 1], h: -0 }],
    ['non-finite numbers', { xs: odd, nested: [[NaN], [Infinity, -Infinity]] }],
    ['a 0-d tensor', { loss: tensor([], [0.25]) }],
    [
      'tensors of every rank, float32 and float64',
      { a: tensor([11], odd), b: tensor([2, 3], [1, 2, 3, 4, 5, 6], true), c: tensor([2, 1, 2], [0.1, -0.2, 0.3, NaN]) },
    ],
    ['empty tensors', { a: tensor([0], []), b: tensor([2, 0], []), c: tensor([0, 3], []) }],
    [
      'a long row of finite numbers with one NaN far in (the block path and the number path)',
      {
        a: tensor(
          [1, 10_000],
          Array.from({ length: 10_000 }, (_, i) => (i === 9000 ? NaN : Math.sin(i) / 7)),
          true,
        ),
      },
    ],
  ];

  it.each(values)('%s: the same text as JSON.stringify, with and without indent', (_name, value) => {
    expect(stringifyStrict(value)).toBe(expected(value));
    expect(stringifyStrict(value, 2)).toBe(expected(value, 2));
  });

  it('cuts a big tensor into pieces of about 64 K characters', () => {
    const big = {
      t: tensor(
        [50, 3000],
        Array.from({ length: 150_000 }, (_, i) => Math.cos(i) * 1e-3),
      ),
    };
    const pieces = [...jsonPieces(big)];
    expect(pieces.length).toBeGreaterThan(20);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(2 * 65536 + 100_000);
    expect(pieces.join('')).toBe(expected(big));
  });

  it('jsonBytes: the UTF-8 of the text and a newline (the exports)', () => {
    const value = { name: 'é 😀', t: tensor([2, 2], [1, NaN, -0, 3e-7], true) };
    expect(new TextDecoder().decode(jsonBytes(value, 2))).toBe(expected(value, 2) + '\n');
  });

  it('every golden loss case: the CLI document is what JSON.stringify of the nested results gives', async () => {
    const cases = golden.loss_cases;
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      for (const dtype of ['float32', 'float64'] as const) {
        const state = await runState(JSON.stringify(lossScenario(c, dtype)));
        const result = state.cells[0].result;
        expect(stringifyStrict(result)).toBe(expected(result));
        expect(stringifyStrict(result, 2)).toBe(expected(result, 2));
      }
    }
  });
});

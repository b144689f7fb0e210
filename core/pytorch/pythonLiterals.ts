// Python source for numbers, strings and nested lists, exact: a float is written
// with the shortest digits that read back as the same double.
import type { Tensor } from '../tensor';

export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : '-float("inf")';
  if (Object.is(v, -0)) return '-0.0';
  const text = String(v);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export const pyInt = (v: number): string => String(v);

/** A Python string literal (JSON's escapes are Python's too). */
export const pyString = (s: string): string => JSON.stringify(s);

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

const WIDTH = 100;

/** Nested lists of a tensor's values; one line, or one top-level row a line when that would be long. */
export function pyNested(t: Tensor, number: (v: number) => string): string {
  if (t.shape.length === 0) return number(t.data[0]);
  const build = (dim: number, offset: number): string => {
    const size = t.shape[dim];
    const stride = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const items = Array.from({ length: size }, (_, i) =>
      dim === t.shape.length - 1 ? number(t.data[offset + i]) : build(dim + 1, offset + i * stride),
    );
    return `[${items.join(', ')}]`;
  };
  const line = build(0, 0);
  if (line.length <= WIDTH || t.shape.length === 1) return line;
  const stride = t.data.length / t.shape[0];
  const rows = Array.from({ length: t.shape[0] }, (_, i) => `    ${build(1, i * stride)},`);
  return `[\n${rows.join('\n')}\n]`;
}

// A dense tensor: a shape and its values in C order, stored as float64 or,
// for float32 tensors on the engine's hot path, as float32.
import type { Nested } from './results';

export type FloatArray = Float32Array | Float64Array;

export interface Tensor {
  shape: number[];
  data: FloatArray;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensor(shape: number[], data?: ArrayLike<number>): Tensor {
  const out = new Float64Array(numel(shape));
  if (data) out.set(data);
  return { shape: [...shape], data: out };
}

/** The shape of nested arrays, read along the first element of each level. */
export function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

/**
 * `size` values from `offset` as a plain array. Its own function, so V8's
 * allocation site for it only ever sees numbers and stores them unboxed
 * (8 bytes each rather than a 24-byte boxed number).
 */
function numberRow(data: FloatArray, offset: number, size: number): number[] {
  const row: number[] = new Array(size);
  for (let i = 0; i < size; i++) row[i] = data[offset + i];
  return row;
}

/** Writes a tensor back out as nested arrays (a bare number for a 0-d tensor). */
export function toNested(t: Tensor): Nested {
  if (t.shape.length === 0) return t.data[0];
  const build = (dim: number, offset: number): Nested[] => {
    const size = t.shape[dim];
    if (dim === t.shape.length - 1) return numberRow(t.data, offset, size);
    const stride = numel(t.shape.slice(dim + 1));
    const out: Nested[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = build(dim + 1, offset + i * stride);
    return out;
  };
  return build(0, 0);
}

/** Rows of a 2-D tensor as plain arrays. */
export function toRows(t: Tensor): number[][] {
  const [rows, cols] = t.shape;
  return Array.from({ length: rows }, (_, r) => Array.from(t.data.subarray(r * cols, (r + 1) * cols)));
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** C-order multi-index of a flat offset, for error paths. */
export function unravel(offset: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = offset % shape[d];
    offset = Math.floor(offset / shape[d]);
  }
  return index;
}

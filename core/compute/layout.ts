// How a tensor of shape (N, C, d1..dk) is walked by the loss kernels: as
// [outer=N][classes=C][inner=d1·…·dk]; an unbatched (C) input is outer=1, inner=1.
// Element e = n·inner + s; class c of element e sits at base(e) + c·inner.
import { numel } from '../tensor';

export interface ClassLayout {
  outer: number;
  classes: number;
  inner: number;
}

export function layoutOf(shape: readonly number[]): ClassLayout {
  if (shape.length === 1) return { outer: 1, classes: shape[0], inner: 1 };
  return { outer: shape[0], classes: shape[1], inner: numel(shape.slice(2)) };
}

export const elementCount = (L: ClassLayout): number => L.outer * L.inner;

/** Flat offset of class 0 of element e. */
export const baseOf = (L: ClassLayout, e: number): number => Math.floor(e / L.inner) * L.classes * L.inner + (e % L.inner);

/** Flat offset of class c of element e. */
export const at = (L: ClassLayout, e: number, c: number): number => baseOf(L, e) + c * L.inner;

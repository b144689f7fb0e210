// One element's reading (core/view/elementReading.ts), which the engine's loss
// view and the panel's train rows share: a strided row inside an (N, C, d)
// tensor reads as the same row held on its own, and classes that are not
// classes, or rows left empty, read NaN.
import { describe, expect, it } from 'vitest';
import { readElement, topClasses, wholeRow, type ClassRow } from '../../core/view/elementReading';

describe('readElement', () => {
  it('reads a strided row as the same row held whole', () => {
    // (N=1, C=3, d=2): class c of position s at c·2 + s; position 1 holds P = [0.2, 0.5, 0.3].
    const probs = [0.6, 0.2, 0.1, 0.5, 0.3, 0.3];
    const grad = [-0.4, 0.2, 0.1, -0.5, 0.3, 0.3];
    const strided = (data: number[]): ClassRow => ({ data, offset: 1, stride: 2 });
    const target = wholeRow([0, 1, 0]);
    expect(readElement(3, null, strided(probs), target, strided(grad))).toEqual(
      readElement(3, null, wholeRow([0.2, 0.5, 0.3]), target, wholeRow([0.2, -0.5, 0.3])),
    );
    expect(readElement(3, 2, strided(probs), target, strided(grad))).toMatchObject({
      targetClass: 2,
      topClass: 1,
      probAtTarget: 0.3,
      gradAtTop: -0.5,
    });
  });

  it('reads NaN at an ignore_index and where a row is empty; the top class is the first on a tie', () => {
    const r = readElement(3, -100, wholeRow([0.4, 0.4, 0.2]), wholeRow([]), wholeRow([]));
    expect(r).toEqual({ targetClass: -100, topClass: 0, probAtTarget: NaN, targetAtTarget: NaN, gradAtTarget: NaN, probAtTop: 0.4, gradAtTop: NaN });
  });
});

describe('topClasses', () => {
  it('orders by P, the lower class first on a tie, and skips NaN', () => {
    expect(topClasses(wholeRow([0.1, NaN, 0.3, 0.3, 0.2]), 5, 3)).toEqual([2, 3, 4]);
    expect(topClasses({ data: [9, 0.1, 9, 0.7, 9, 0.2], offset: 1, stride: 2 }, 3, 2)).toEqual([1, 2]);
  });
});

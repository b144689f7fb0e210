// What is read off one element's row of C classes for display: the class it is
// read at (its index target, else its heaviest target class), its most probable
// class, and P, Y and ∂loss/∂z at both; and its k most probable classes. The
// engine reads a loss view's summary with it (core/scenario/lossView.ts), the
// panel a train cell's final rows (webview/lossData.ts): one reading, so the
// two cannot differ.
import { argmax } from '../argmax';
import type { ElementSummary } from '../results';

/** An element's C values inside a flat array: data[offset + c·stride] (a row of its own: offset 0, stride 1). */
export interface ClassRow {
  data: ArrayLike<number>;
  offset: number;
  stride: number;
}

/** A row of its own. */
export const wholeRow = (data: ArrayLike<number>): ClassRow => ({ data, offset: 0, stride: 1 });

/** One element's entry in each column of ElementSummary (but `top`). */
export type ElementReading = { [K in Exclude<keyof ElementSummary, 'top'>]: number };

/**
 * Reads an element at its target class (targetIndex, else argmax of `target`) and at its most probable class.
 * A class outside [0, classes) (an ignored element's ignore_index), or a row left empty, reads NaN.
 */
export function readElement(classes: number, targetIndex: number | null, probs: ClassRow, target: ClassRow, grad: ClassRow): ElementReading {
  const value = (row: ClassRow, c: number) => (c >= 0 && c < classes ? (row.data[row.offset + c * row.stride] ?? NaN) : NaN);
  const targetClass = targetIndex ?? argmax(target.data, classes, target.offset, target.stride);
  const topClass = argmax(probs.data, classes, probs.offset, probs.stride);
  return {
    targetClass,
    topClass,
    probAtTarget: value(probs, targetClass),
    targetAtTarget: value(target, targetClass),
    gradAtTarget: value(grad, targetClass),
    probAtTop: value(probs, topClass),
    gradAtTop: value(grad, topClass),
  };
}

/** The k most probable of `classes` classes, most probable first; on a tie the lower class first (as argmax picks); NaN never. */
export function topClasses(probs: ClassRow, classes: number, k: number): number[] {
  const top: number[] = [];
  const value = (c: number) => probs.data[probs.offset + c * probs.stride];
  for (let c = 0; c < classes; c++) {
    const p = value(c);
    if (Number.isNaN(p) || (top.length === k && !(p > value(top[k - 1])))) continue;
    if (top.length === k) top.pop();
    let place = top.length;
    while (place > 0 && p > value(top[place - 1])) place--;
    top.splice(place, 0, c);
  }
  return top;
}

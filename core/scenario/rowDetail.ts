// One element of a loss cell, as the panel shows it when a row is clicked: its
// most probable classes and its target, with the logit, P, log P and gradient
// at each. From a streamed cell (the element's block read again) or from a cell
// held whole (its result's rows).
import { at, layoutOf } from '../compute/layout';
import type { CrossEntropyResult } from '../nn/crossEntropy';
import type { JsonPath, RowDetail } from '../results';
import { ScenarioError } from './problems';

/** The most probable classes a detail shows (the target is added when it is not among them). */
const DETAIL_CLASSES = 30;

export interface ElementRows {
  logits: ArrayLike<number>;
  probs: ArrayLike<number>;
  logProbs: ArrayLike<number>;
  grad: ArrayLike<number>;
}

/** Checks an element index against a cell of `shape`. */
export function checkElement(element: number, shape: readonly number[], path: JsonPath): void {
  const L = layoutOf(shape);
  const count = L.outer * L.inner;
  if (!Number.isSafeInteger(element) || element < 0 || element >= count) {
    throw new ScenarioError(`Element ${element} is not in this cell: it has elements 0 to ${count - 1}.`, path);
  }
}

export function rowDetail(element: number, target: number, loss: number, rows: ElementRows, classes: string[] | null): RowDetail {
  const C = rows.probs.length;
  const order = Array.from({ length: C }, (_, c) => c)
    .filter((c) => !Number.isNaN(rows.probs[c]))
    .sort((a, b) => rows.probs[b] - rows.probs[a] || a - b)
    .slice(0, DETAIL_CLASSES);
  const topCount = order.length;
  if (target >= 0 && !order.includes(target)) order.push(target);
  const pick = (values: ArrayLike<number>) => order.map((c) => values[c]);
  const name = (c: number) => (classes && c >= 0 && c < classes.length ? classes[c] : String(c));
  return {
    element,
    target,
    targetName: target >= 0 ? name(target) : 'ignored',
    loss,
    classCount: C,
    classes: order,
    topCount,
    names: order.map(name),
    logits: pick(rows.logits),
    probs: pick(rows.probs),
    logProbs: pick(rows.logProbs),
    grad: pick(rows.grad),
  };
}

/** Element e's rows of a cell held whole. */
export function wholeRows(logits: ArrayLike<number>, result: CrossEntropyResult, e: number): ElementRows {
  const L = result.layout;
  const row = (data: ArrayLike<number>) => Array.from({ length: L.classes }, (_, c) => data[at(L, e, c)]);
  return { logits: row(logits), probs: row(result.probs.data), logProbs: row(result.logProbs.data), grad: row(result.grad.data) };
}

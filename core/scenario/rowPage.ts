// A page of a streamed loss cell's per-element facts, from the result the worker
// keeps: the panel shows 50,000 rows a page at a time instead of receiving them
// (after microsoft/vscode-js-profile-visualizer, where the UI asks for pages).
import type { LossResult, Nested, RowsPage } from '../results';
import { classNames } from '../view/classNames';

/** The most rows one page holds. */
export const MAX_PAGE_ROWS = 200;

export function rowPage(result: LossResult, from: number, count: number): RowsPage {
  const facts = result.streamed?.per_row;
  if (!facts) throw new Error(`Cell ${JSON.stringify(result.id)} is not streamed: its elements are in its view already.`);
  if (!Number.isInteger(from) || from < 0) throw new Error(`A page starts at an element index (an integer ≥ 0); got ${from}.`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE_ROWS) throw new Error(`A page holds 1 to ${MAX_PAGE_ROWS} rows; got ${count}.`);
  const total = facts.target.length;
  const losses = valuesAt(result.per_sample, from, count);
  const names = result.streamed?.names ?? classNames(result.view);
  const nameOf = (c: number) => (c < 0 ? 'ignored' : (names[c] ?? String(c)));
  const rows = [];
  for (let element = from; element < Math.min(total, from + count); element++) {
    const target = facts.target[element];
    const top = facts.top_class[element];
    rows.push({
      element,
      target,
      targetName: nameOf(target),
      top_class: top,
      topName: nameOf(top),
      loss: losses[element - from],
      p_target: facts.p_target[element],
      rank: facts.rank[element],
      entropy: facts.entropy[element],
    });
  }
  return { total, from, rows };
}

/** Values `from` to `from + count` of a regular nested array, in row-major order, without walking the rest. */
function valuesAt(value: Nested, from: number, count: number): number[] {
  const out: number[] = [];
  const sizeOf = (v: Nested): number => (typeof v === 'number' ? 1 : v.length === 0 ? 0 : v.length * sizeOf(v[0]));
  /** `start`: the row-major index of the first value of `v`. */
  const walk = (v: Nested, start: number): void => {
    if (typeof v === 'number') {
      if (start >= from && out.length < count) out.push(v);
      return;
    }
    const inner = v.length ? sizeOf(v[0]) : 0;
    for (let i = 0; i < v.length; i++) {
      const at = start + i * inner;
      if (at >= from + count) return;
      if (at + inner > from) walk(v[i], at);
    }
  };
  walk(value, 0);
  return out;
}

// The panel's view of a loss cell, computed next to the engine so that what
// crosses to the panel is bounded: per-element facts always, whole rows of C
// only for a cell small enough to draw per class (a language model's 64 × 50,257
// logits send 64 summaries, not four 3.2-million-number arrays).
import { at, baseOf, layoutOf, type ClassLayout } from '../compute/layout';
import { rounding } from '../dtype';
import type { CrossEntropyResult } from '../nn/crossEntropy';
import type { ElementRows, ElementSummary, LossView } from '../results';
import { argmax } from '../argmax';
import type { LossCellInput } from './lossCellInput';

/** Up to this many classes the panel draws a column (or bar) per class. */
export const VIEW_MAX_CLASSES = 24;
/** Up to this many values (elements × classes) the view holds whole rows. */
export const VIEW_MAX_VALUES = 20_000;
/** Past that, each element's most probable classes, this many (a language model's likeliest next tokens). */
export const VIEW_TOP_K = 5;

/** Element e's C values of a tensor in the layout L. */
function elementRow(data: ArrayLike<number>, L: ClassLayout, e: number): number[] {
  const row: number[] = new Array(L.classes);
  for (let c = 0, i = baseOf(L, e); c < L.classes; c++, i += L.inner) row[c] = data[i];
  return row;
}

/** Element e's target distribution after label smoothing, as the kernels smooth it. */
function targetRowOf(input: LossCellInput, result: CrossEntropyResult): (e: number) => number[] {
  const L = result.layout;
  const ls = result.labelSmoothing;
  const y = input.target.tensor.data;
  if (result.targetKind === 'probs') {
    const round = rounding(input.dtype);
    const keep = round(1 - ls);
    const spread = round(ls / L.classes);
    return (e) => elementRow(y, L, e).map((v) => (ls > 0 ? round(round(round(v) * keep) + spread) : round(v)));
  }
  return (e) => {
    const row: number[] = new Array(L.classes).fill(result.ignored[e] ? 0 : ls / L.classes);
    if (!result.ignored[e]) row[y[e]] = 1 - ls + ls / L.classes;
    return row;
  };
}

/** Element e's k most probable classes, most probable first; on a tie the lower class first (as argmax picks); NaN never. */
function topClasses(probs: ArrayLike<number>, L: ClassLayout, e: number, k: number): number[] {
  const top: number[] = [];
  const value = (c: number) => probs[at(L, e, c)];
  for (let c = 0; c < L.classes; c++) {
    const p = value(c);
    if (Number.isNaN(p) || (top.length === k && !(p > value(top[k - 1])))) continue;
    if (top.length === k) top.pop();
    let place = top.length;
    while (place > 0 && p > value(top[place - 1])) place--;
    top.splice(place, 0, c);
  }
  return top;
}

function summaryOf(input: LossCellInput, result: CrossEntropyResult, targetRow: (e: number) => number[], withTop: boolean): ElementSummary {
  const L = result.layout;
  const n = L.outer * L.inner;
  const s: ElementSummary = {
    targetClass: new Array(n),
    topClass: new Array(n),
    probAtTarget: new Array(n),
    targetAtTarget: new Array(n),
    gradAtTarget: new Array(n),
    probAtTop: new Array(n),
    gradAtTop: new Array(n),
    top: withTop ? { classes: new Array(n), probs: new Array(n) } : null,
  };
  const probs = result.probs.data;
  const grad = result.grad.data;
  const y = input.target.tensor.data;
  /** Value of class c of element e, NaN when c is not a class (an ignored element's ignore_index). */
  const valueAt = (data: ArrayLike<number>, e: number, c: number) => (c >= 0 && c < L.classes ? data[at(L, e, c)] : NaN);
  for (let e = 0; e < n; e++) {
    const target = targetRow(e);
    const t = result.targetKind === 'index' ? y[e] : argmax(target);
    let top = 0;
    for (let c = 1, i = baseOf(L, e) + L.inner; c < L.classes; c++, i += L.inner) if (probs[i] > probs[at(L, e, top)]) top = c;
    s.targetClass[e] = t;
    s.topClass[e] = top;
    s.probAtTarget[e] = valueAt(probs, e, t);
    s.targetAtTarget[e] = t >= 0 && t < L.classes ? target[t] : NaN;
    s.gradAtTarget[e] = valueAt(grad, e, t);
    s.probAtTop[e] = probs[at(L, e, top)];
    s.gradAtTop[e] = grad[at(L, e, top)];
    if (s.top) {
      const classes = topClasses(probs, L, e, Math.min(VIEW_TOP_K, L.classes));
      s.top.classes[e] = classes;
      s.top.probs[e] = classes.map((c) => probs[at(L, e, c)]);
    }
  }
  return s;
}

function rowsOf(input: LossCellInput, result: CrossEntropyResult, targetRow: (e: number) => number[]): ElementRows {
  const L = result.layout;
  const elements = Array.from({ length: L.outer * L.inner }, (_, e) => e);
  return {
    logits: elements.map((e) => elementRow(input.logits.tensor.data, L, e)),
    probs: elements.map((e) => elementRow(result.probs.data, L, e)),
    grad: elements.map((e) => elementRow(result.grad.data, L, e)),
    target: elements.map(targetRow),
  };
}

/** The name of every class: the scenario's, else "0", "1", … (made where shown: 50,257 of them need not travel). */
export function classNames(view: Pick<LossView, 'classes' | 'shape'>): string[] {
  return view.classes ?? Array.from({ length: layoutOf(view.shape).classes }, (_, c) => String(c));
}

export function lossView(input: LossCellInput, result: CrossEntropyResult): LossView {
  const L = result.layout;
  const targetRow = targetRowOf(input, result);
  const small = L.classes <= VIEW_MAX_CLASSES && L.outer * L.inner * L.classes <= VIEW_MAX_VALUES;
  return {
    shape: [...input.logits.tensor.shape],
    classes: input.classes,
    targetKind: result.targetKind,
    logitsEditable: input.logits.written === 'array',
    targetIndex: result.targetKind === 'index' ? Array.from(input.target.tensor.data) : null,
    ignored: Array.from(result.ignored, (v) => v === 1),
    elementWeight: Array.from(result.elementWeight),
    normalisation: result.normalisation,
    temperature: input.temperature,
    labelSmoothing: input.labelSmoothing,
    summary: summaryOf(input, result, targetRow, !small),
    rows: small ? rowsOf(input, result, targetRow) : null,
  };
}

// The panel's view of a loss cell, computed next to the engine so that what
// crosses to the panel is bounded: per-element facts always, whole rows of C
// only for a cell small enough to draw per class (a language model's 64 × 50,257
// logits send 64 summaries, not four 3.2-million-number arrays).
import { at, baseOf, type ClassLayout } from '../compute/layout';
import { rounding } from '../dtype';
import type { CrossEntropyResult } from '../nn/crossEntropy';
import type { ElementRows, ElementSummary, LossView } from '../results';
import { VIEW_MAX_CLASSES, VIEW_MAX_VALUES, VIEW_TOP_K } from '../view/bounds';
import { readElement, topClasses, wholeRow, type ClassRow } from '../view/elementReading';
import type { LossCellInput } from './lossCellInput';

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
  const probs: ClassRow = { data: result.probs.data, offset: 0, stride: L.inner };
  const grad: ClassRow = { data: result.grad.data, offset: 0, stride: L.inner };
  const y = input.target.tensor.data;
  for (let e = 0; e < n; e++) {
    probs.offset = grad.offset = baseOf(L, e);
    const r = readElement(L.classes, result.targetKind === 'index' ? y[e] : null, probs, wholeRow(targetRow(e)), grad);
    s.targetClass[e] = r.targetClass;
    s.topClass[e] = r.topClass;
    s.probAtTarget[e] = r.probAtTarget;
    s.targetAtTarget[e] = r.targetAtTarget;
    s.gradAtTarget[e] = r.gradAtTarget;
    s.probAtTop[e] = r.probAtTop;
    s.gradAtTop[e] = r.gradAtTop;
    if (s.top) {
      const classes = topClasses(probs, L.classes, Math.min(VIEW_TOP_K, L.classes));
      s.top.classes[e] = classes;
      s.top.probs[e] = classes.map((c) => probs.data[at(L, e, c)]);
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

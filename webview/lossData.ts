// Turns a loss result's nested tensors into one row per element (sample, or
// sample × position for K-dim inputs), the unit every loss chart and table draws.
import {
  elementCount,
  layoutOf,
  readElement,
  wholeRow,
  type ClassLayout,
  type JsonPath,
  type PanelLossResult,
  type Nested,
  type ElementReading,
} from '../core/view';

/** An element's numbers, read at its target class and its most probable class (ElementReading) and, when small enough, whole. */
export interface ElementRow extends ElementReading {
  /** Element index e in C order over N·d1·…·dk. */
  index: number;
  label: string;
  /** Whole rows of C when the cell is small enough to draw per class, else empty. */
  probs: number[];
  grad: number[];
  /** The target distribution Y (after smoothing). */
  target: number[];
  targetIndex: number | null;
  loss: number;
  ignored: boolean;
  weight: number;
  /** The most probable classes, most probable first, and their P (cells too big for whole rows), else null. */
  top: { classes: number[]; probs: number[] } | null;
}

/** Whether the rows carry every class (else only the numbers at the target and most probable classes). */
export const hasWholeRows = (rows: ElementRow[], classes: number): boolean => rows.every((r) => r.probs.length === classes);

export function flatten(x: Nested): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  const walk = (v: Nested) => (typeof v === 'number' ? out.push(v) : v.forEach(walk));
  walk(x);
  return out;
}

/** The loss kernels' layout of a (C), (N, C) or (N, C, d1…dk) shape, with d1…dk (empty for (C) and (N, C)) for labels. */
interface LossLayout extends ClassLayout {
  spatial: number[];
}

const lossLayoutOf = (shape: number[]): LossLayout => ({ ...layoutOf(shape), spatial: shape.slice(2) });

/** Sample n and spatial coordinates (C order over d1…dk) of element e. */
function elementPosition(layout: LossLayout, e: number): { n: number; coords: number[] } {
  let rest = e % layout.inner;
  const coords = layout.spatial.map(() => 0);
  for (let k = layout.spatial.length - 1; k >= 0; k--) {
    coords[k] = rest % layout.spatial[k];
    rest = Math.floor(rest / layout.spatial[k]);
  }
  return { n: Math.floor(e / layout.inner), coords };
}

/** "#3" or "#3 (1, 2)" for element e. */
function elementLabel(layout: LossLayout, e: number): string {
  const { n, coords } = elementPosition(layout, e);
  return layout.spatial.length === 0 ? `#${n}` : `#${n} (${coords.join(', ')})`;
}

/** Where class c of element e sits in the scenario: logits[n][c][...position], or logits[c] for a (C) input. */
export function logitPath(cellIndex: number, shape: number[], e: number, c: number): JsonPath {
  if (shape.length <= 1) return ['cells', cellIndex, 'logits', c];
  const { n, coords } = elementPosition(lossLayoutOf(shape), e);
  return ['cells', cellIndex, 'logits', n, c, ...coords];
}

export function lossRows(result: PanelLossResult): ElementRow[] {
  const { view } = result;
  const { summary, rows: whole } = view;
  const layout = lossLayoutOf(view.shape);
  const perSample = flatten(result.per_sample);
  return Array.from({ length: elementCount(layout) }, (_, e) => ({
    index: e,
    label: elementLabel(layout, e),
    probs: whole?.probs[e] ?? [],
    grad: whole?.grad[e] ?? [],
    target: whole?.target[e] ?? [],
    targetIndex: view.targetIndex?.[e] ?? null,
    loss: perSample[e],
    ignored: view.ignored[e] ?? false,
    weight: view.elementWeight[e] ?? 1,
    targetClass: summary.targetClass[e],
    topClass: summary.topClass[e],
    probAtTarget: summary.probAtTarget[e],
    targetAtTarget: summary.targetAtTarget[e],
    gradAtTarget: summary.gradAtTarget[e],
    probAtTop: summary.probAtTop[e],
    gradAtTop: summary.gradAtTop[e],
    top: summary.top && { classes: summary.top.classes[e], probs: summary.top.probs[e] },
  }));
}

/** A row from whole rows of C (a train cell's final probabilities), its summary read off them as the engine reads it. */
export function withSummary(row: Omit<ElementRow, keyof ElementReading | 'top'>): ElementRow {
  return { ...row, ...readElement(row.probs.length, row.targetIndex, wholeRow(row.probs), wholeRow(row.target), wholeRow(row.grad)), top: null };
}

export interface Confusion {
  target: number;
  predicted: number;
  count: number;
}

/** Counts of (target → argmax prediction) mistakes, most frequent first. */
export function mostConfused(rows: ElementRow[], limit: number): Confusion[] {
  const counts = new Map<string, Confusion>();
  for (const row of rows) {
    if (row.ignored) continue;
    const target = row.targetClass;
    const predicted = row.topClass;
    if (target === predicted) continue;
    const key = `${target}:${predicted}`;
    const entry = counts.get(key) ?? { target, predicted, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit);
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

export function histogram(values: number[], bins: number): Histogram {
  const finite = values.filter(Number.isFinite);
  const lo = finite.reduce((a, b) => Math.min(a, b), finite[0] ?? 0);
  const hi = finite.reduce((a, b) => Math.max(a, b), finite[0] ?? 1);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

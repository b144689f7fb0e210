// Turns a loss result's nested tensors into one row per element (sample, or
// sample × position for K-dim inputs), the unit every loss chart and table draws.
import { at, elementCount, layoutOf, type ClassLayout } from '../core/compute/layout';
import type { JsonPath, LossResult, Nested } from '../core/results';

export interface ElementRow {
  /** Element index e in C order over N·d1·…·dk. */
  index: number;
  label: string;
  probs: number[];
  grad: number[];
  /** The target distribution Y (after smoothing). */
  target: number[];
  targetIndex: number | null;
  loss: number;
  ignored: boolean;
  weight: number;
}

export function flatten(x: Nested): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  const walk = (v: Nested) => (typeof v === 'number' ? out.push(v) : v.forEach(walk));
  walk(x);
  return out;
}

/** The loss kernels' layout of a (C), (N, C) or (N, C, d1…dk) shape, with d1…dk (empty for (C) and (N, C)) for labels. */
export interface LossLayout extends ClassLayout {
  spatial: number[];
}

export const lossLayoutOf = (shape: number[]): LossLayout => ({ ...layoutOf(shape), spatial: shape.slice(2) });

/** Sample n and spatial coordinates (C order over d1…dk) of element e. */
export function elementPosition(layout: LossLayout, e: number): { n: number; coords: number[] } {
  let rest = e % layout.inner;
  const coords = layout.spatial.map(() => 0);
  for (let k = layout.spatial.length - 1; k >= 0; k--) {
    coords[k] = rest % layout.spatial[k];
    rest = Math.floor(rest / layout.spatial[k]);
  }
  return { n: Math.floor(e / layout.inner), coords };
}

/** "#3" or "#3 (1, 2)" for element e. */
export function elementLabel(layout: LossLayout, e: number): string {
  const { n, coords } = elementPosition(layout, e);
  return layout.spatial.length === 0 ? `#${n}` : `#${n} (${coords.join(', ')})`;
}

/** Where class c of element e sits in the scenario: logits[n][c][...position], or logits[c] for a (C) input. */
export function logitPath(cellIndex: number, shape: number[], e: number, c: number): JsonPath {
  if (shape.length <= 1) return ['cells', cellIndex, 'logits', c];
  const { n, coords } = elementPosition(lossLayoutOf(shape), e);
  return ['cells', cellIndex, 'logits', n, c, ...coords];
}

export function lossRows(result: LossResult): ElementRow[] {
  const { view } = result;
  const layout = lossLayoutOf(view.shape);
  const probs = flatten(result.probs);
  const grad = flatten(result.grad);
  const perSample = flatten(result.per_sample);
  const rows: ElementRow[] = [];
  for (let e = 0; e < elementCount(layout); e++) {
    const classIdx = Array.from({ length: layout.classes }, (_, c) => at(layout, e, c));
    rows.push({
      index: e,
      label: elementLabel(layout, e),
      probs: classIdx.map((i) => probs[i]),
      grad: classIdx.map((i) => grad[i]),
      target: view.targetDistribution[e] ?? [],
      targetIndex: view.targetIndex?.[e] ?? null,
      loss: perSample[e],
      ignored: view.ignored[e] ?? false,
      weight: view.elementWeight[e] ?? 1,
    });
  }
  return rows;
}

export function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/** The class a row is meant to be: its index target, else the heaviest target class. */
export function intendedClass(row: ElementRow): number {
  return row.targetIndex ?? argmax(row.target);
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
    const target = intendedClass(row);
    const predicted = argmax(row.probs);
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

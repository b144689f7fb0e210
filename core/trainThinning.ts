// A long training's curves as the host keeps them: what the panel can draw of
// them and no more. Per bucket of the step axis (view/curveBuckets.ts) it keeps the
// steps with the lowest and highest loss and accuracy and the bucket's last step
// (at most five), so a 1,000,000-step run re-hydrates a panel with ~10,000
// points instead of two million numbers, and the panel draws the same extremes.
import { bucketOf, isLogAxis, MAX_BUCKETS } from './view/curveBuckets';

export interface TrainSeries {
  steps: number;
  losses: number[];
  accuracy: number[];
  /** The step of each kept entry once thinned; absent: entry i is step i. */
  at?: number[];
}

/** A series is thinned once it holds more entries than this (then to at most five per bucket). */
export const THIN_ABOVE = 8 * MAX_BUCKETS;

/** Thins `train` in place when it has grown past THIN_ABOVE entries. */
export function thinTraining(train: TrainSeries): void {
  const n = train.losses.length;
  if (n <= THIN_ABOVE) return;
  const stepOf = (k: number) => train.at?.[k] ?? k;
  const log = isLogAxis(train.steps);
  const keep: number[] = [];
  let first = 0;
  while (first < n) {
    const bucket = bucketOf(stepOf(first), train.steps, log);
    let last = first;
    while (last + 1 < n && bucketOf(stepOf(last + 1), train.steps, log) === bucket) last++;
    keep.push(...extremes(train, first, last));
    first = last + 1;
  }
  const kept = [...new Set(keep)].sort((a, b) => a - b);
  train.at = kept.map(stepOf);
  train.losses = kept.map((k) => train.losses[k]);
  train.accuracy = kept.map((k) => train.accuracy[k]);
}

/** Entries first..last (one bucket): where loss and accuracy are lowest and highest, and the last one. */
function extremes(train: TrainSeries, first: number, last: number): number[] {
  const picks = [last];
  for (const series of [train.losses, train.accuracy]) {
    let low = -1;
    let high = -1;
    for (let k = first; k <= last; k++) {
      const v = series[k];
      if (Number.isNaN(v)) continue; // a gap in the chart either way; ±∞ are drawn off-chart
      if (low < 0 || v < series[low]) low = k;
      if (high < 0 || v > series[high]) high = k;
    }
    if (low >= 0) picks.push(low, high);
  }
  return picks;
}

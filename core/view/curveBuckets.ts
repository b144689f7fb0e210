// Where a training step falls on the panel's step axis: at most ~MAX_BUCKETS
// buckets per series, equal widths on a linear axis, equal ratios on a log one.
// The panel draws each bucket's extremes (webview/charts/curveBuckets.ts); the
// host keeps a long training's curves by the same buckets (core/trainThinning.ts).

/** Buckets per series at most. */
export const MAX_BUCKETS = 2000;
/** Past this many steps the step axis is logarithmic. */
export const LOG_AXIS_STEPS = 10_000;

export const isLogAxis = (steps: number): boolean => steps > LOG_AXIS_STEPS;

/** Which bucket step i (of `steps`) falls in; on a log axis x = step + 1, as log 0 is not drawable. */
export function bucketOf(i: number, steps: number, log: boolean): number {
  if (log) return Math.floor((MAX_BUCKETS * Math.log(i + 1)) / Math.log(steps + 1));
  return Math.floor(i / Math.max(1, Math.ceil(steps / MAX_BUCKETS)));
}

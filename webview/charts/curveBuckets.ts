// A streamed series reduced to what a chart can show: at most ~MAX_BUCKETS
// buckets, each drawn as its lowest and highest raw value (so spikes survive)
// and the smoothed value at its end, updated incrementally as steps arrive.
import { bucketOf } from '../../core/view';
import { Ema } from './smoothing';

export interface Point {
  x: number;
  y: number;
}

export class Curve {
  raw: Point[] = [];
  smooth: Point[] = [];
  private ema: Ema;
  private count = 0;
  private source: number[] | null = null;
  private lastStep = -1;
  private bucket = -1;
  /** Points of the current bucket at the end of `raw` (1 or 2). */
  private inBucket = 0;
  private low: Point = { x: 0, y: Infinity };
  private high: Point = { x: 0, y: -Infinity };

  constructor(
    private weight: number,
    private steps: number,
    private readonly log: boolean,
  ) {
    this.ema = new Ema(weight);
  }

  /**
   * Folds in values[count..], value k being step at[k] (step k without `at`: see core/trainThinning.ts);
   * restarts on another series (a new run, a hydrate) or a shorter one.
   */
  sync(values: number[], at?: number[]): void {
    if (values !== this.source || values.length < this.count) this.reset(this.weight, this.steps);
    this.source = values;
    for (let k = this.count; k < values.length; k++) {
      const step = at ? at[k] : k;
      this.add(step, values[k], step - this.lastStep);
      this.lastStep = step;
    }
    this.count = values.length;
  }

  /** `gap`: steps since the previous value (more than one where a thinned series left steps out). */
  private add(i: number, value: number, gap: number): void {
    const x = this.log ? i + 1 : i;
    const smoothed = this.ema.next(value, gap);
    const b = bucketOf(i, this.steps, this.log);
    if (b !== this.bucket) {
      this.bucket = b;
      this.low = { x, y: Infinity };
      this.high = { x, y: -Infinity };
      this.inBucket = 0;
      this.smooth.push({ x, y: smoothed });
    } else {
      this.smooth[this.smooth.length - 1] = { x, y: smoothed };
    }
    // NaN and ±∞ losses are drawn as gaps / off-chart, as Chart.js does for a plain series.
    if (!(value >= this.low.y)) this.low = { x, y: value };
    if (!(value <= this.high.y)) this.high = { x, y: value };
    // This bucket's points (the last `inBucket` of raw) are written in place, never shortened and pushed again:
    // Chart.js wraps push() on the arrays it draws and inserts an element per call without ever removing one
    // for a shortened length, so a 26,000-step catch-up (a hydrate mid-training) froze the panel for seconds.
    const points = this.low.x === this.high.x ? [this.low] : this.low.x < this.high.x ? [this.low, this.high] : [this.high, this.low];
    const start = this.raw.length - this.inBucket;
    for (let k = 0; k < points.length; k++) this.raw[start + k] = points[k];
    this.inBucket = points.length;
  }

  reset(weight: number, steps: number): void {
    this.weight = weight;
    this.steps = steps;
    this.ema = new Ema(weight);
    this.raw = [];
    this.smooth = [];
    this.count = 0;
    this.source = null;
    this.lastStep = -1;
    this.bucket = -1;
    this.inBucket = 0;
  }
}

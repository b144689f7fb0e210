// TensorBoard's debiased exponential moving average, kept incrementally so a
// 10,000-step stream costs O(new steps) per frame.
export class Ema {
  private last = 0;
  private count = 0;
  constructor(private readonly weight: number) {}

  /** `gap` steps since the previous value count as `gap` steps of this value (a thinned series skips steps). */
  next(value: number, gap = 1): number {
    if (!Number.isFinite(value)) return value;
    const w = Math.pow(this.weight, gap);
    this.last = this.last * w + (1 - w) * value;
    this.count += gap;
    return this.last / (1 - Math.pow(this.weight, this.count));
  }
}

// TensorBoard's debiased exponential moving average, kept incrementally so a
// 10,000-step stream costs O(new steps) per frame.
export class Ema {
  private last = 0;
  private count = 0;
  constructor(private readonly weight: number) {}

  next(value: number): number {
    if (!Number.isFinite(value)) return value;
    this.last = this.last * this.weight + (1 - this.weight) * value;
    this.count++;
    return this.last / (1 - Math.pow(this.weight, this.count));
  }
}

// Batches a fast stream into at most one emit per interval (leading edge, then
// a trailing flush), so a training run cannot flood postMessage. Pure: the
// clock is injectable, and no vscode import, so it runs in the worker too.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Coalescer<T> {
  private buffer: T[] = [];
  private timer: unknown = undefined;
  private lastEmit = -Infinity;
  /** The next push starts a burst (see `leading`). */
  private burstStarts: boolean;

  /**
   * `leading: false` holds the first items of every burst for an interval, then goes on at most once per interval.
   * A burst ends with `flush()` (each run of a document is one: a run over sooner sends everything in one message).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly emit: (items: T[]) => void,
    private readonly clock: Clock = realClock,
    private readonly leading = true,
  ) {
    this.burstStarts = !leading;
  }

  push(...items: T[]): void {
    this.buffer.push(...items);
    if (this.timer !== undefined) return;
    const wait = this.burstStarts ? this.intervalMs : this.lastEmit + this.intervalMs - this.clock.now();
    this.burstStarts = false;
    if (wait <= 0) this.send();
    else this.timer = this.clock.setTimeout(() => this.send(), wait);
  }

  /** Emits what is buffered now, and ends the burst (e.g. when a run ends). */
  flush(): void {
    this.send();
    this.burstStarts = !this.leading;
  }

  /** Drops what is buffered (a superseded run's tail). */
  clear(): void {
    this.cancelTimer();
    this.buffer = [];
  }

  private send(): void {
    this.cancelTimer();
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.lastEmit = this.clock.now();
    this.emit(items);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

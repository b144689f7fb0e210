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

  /**
   * `leading: false` holds the first items of every burst for an interval, not only of the first one (each run of a
   * document is a burst: a run over sooner sends everything in one message).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly emit: (items: T[]) => void,
    private readonly clock: Clock = realClock,
    private readonly leading = true,
  ) {}

  push(...items: T[]): void {
    this.buffer.push(...items);
    if (this.timer !== undefined) return;
    const wait = this.leading ? this.lastEmit + this.intervalMs - this.clock.now() : this.intervalMs;
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Emits what is buffered now (e.g. when a run ends). */
  flush(): void {
    this.cancelTimer();
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.lastEmit = this.clock.now();
    this.emit(items);
  }

  /** Drops what is buffered (a superseded run's tail). */
  clear(): void {
    this.cancelTimer();
    this.buffer = [];
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

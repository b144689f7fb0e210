// Pause / Step / Run for one run: `beforeStep` (awaited by the engine before
// every training step) waits here while paused. Aborting releases it, so a
// paused run can still be cancelled.

export class RunGate {
  private paused = false;
  private credits = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.release(), { once: true });
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.release();
  }

  /** Lets exactly one more step through while paused. */
  step(): void {
    this.credits++;
    const next = this.waiters.shift();
    if (next) {
      this.credits--;
      next();
    }
  }

  readonly beforeStep = (): Promise<void> => {
    if (!this.paused || this.signal.aborted) return Promise.resolve();
    if (this.credits > 0) {
      this.credits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  };

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

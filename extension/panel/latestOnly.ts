// A drag's transient edits on their way to the engine: one run at a time, and
// while it runs only the newest edit waits (each one replaces the one before),
// so a panel sending an edit every frame never queues runs behind each other.
// No vscode import: unit-tested.

export class LatestOnly {
  private waiting: { work: () => Promise<unknown>; done: (() => void)[] } | null = null;
  private running = false;

  /** Runs `work` once the run in flight is over, unless newer work replaces it first; resolves when what ran in its place is over. */
  push(work: () => Promise<unknown>): Promise<void> {
    return new Promise((resolve) => {
      const done = [...(this.waiting?.done ?? []), resolve];
      this.waiting = { work, done };
      if (!this.running) void this.drain();
    });
  }

  /** Drops the work still waiting (a release's final edit runs on its own); its callers hear it is over. */
  clear(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.done.forEach((resolve) => resolve());
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting) {
      const { work, done } = this.waiting;
      this.waiting = null;
      // A failed run is said where it runs (the runner's notices); the next edit still goes.
      await work().catch(() => undefined);
      done.forEach((resolve) => resolve());
    }
    this.running = false;
  }
}

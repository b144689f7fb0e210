// Engine events on their way to the panel, paced by what the panel draws: at
// most one batch is in flight (the panel replies to each `draw` request once it
// has drawn it), and what arrives meanwhile waits here, folded: a training's
// progress becomes one event per cell, with only its latest decision boundary
// (an older one could never be drawn). A slow panel gets fewer, larger batches
// instead of a queue in the channel, and the end of a run (Stop's answer) goes
// at once, behind one batch at most. No vscode import: unit-tested with a fake clock.
import type { PanelEvent } from '../../core/events';
import { realClock, type Clock } from '../coalescer';

type Progress = Extract<PanelEvent, { kind: 'train-progress' }>;

/** A batch the panel never answers (it was torn down mid-way) stops holding the stream back after this long. */
const LOST_BATCH_MS = 3000;

export class PanelOutbox {
  private buffer: PanelEvent[] = [];
  /** Progress events of `buffer` made here (their arrays are ours to append to). */
  private readonly merged = new WeakSet<Progress>();
  private inFlight: { seq: number; sentAt: number } | null = null;
  private seq = 0;
  private lastSend = -Infinity;
  private urgent = false;
  private timer: unknown = undefined;
  private readonly drainWaiters: (() => void)[] = [];

  /** `intervalMs`: the least time between two batches, unless one ends a run. */
  constructor(
    private readonly intervalMs: number,
    /** Sends a batch; resolves once the panel has drawn it. */
    private readonly send: (events: PanelEvent[]) => Promise<unknown>,
    private readonly clock: Clock = realClock,
  ) {}

  /** Queues `events`; `urgent` (a run's end) sends them, and all that waits, at once. */
  push(events: PanelEvent[], urgent = false): void {
    for (const event of events) this.add(event);
    this.urgent ||= urgent;
    this.pump();
  }

  /** The panel drew batch `seq`. */
  private drawn(seq: number): void {
    if (this.inFlight?.seq !== seq) return;
    this.inFlight = null;
    this.pump();
    this.settle();
  }

  /** A whole state replaces everything (a hydrate): nothing waits, nothing is in flight. */
  clear(): void {
    this.buffer = [];
    this.inFlight = null;
    this.urgent = false;
    this.cancelTimer();
    this.settle();
  }

  /** Resolves once the panel has drawn everything pushed so far (at once when it has). */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.settle();
    });
  }

  private settle(): void {
    if (this.inFlight || this.buffer.length) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private add(event: PanelEvent): void {
    if (event.kind === 'train-progress') {
      const earlier = this.progressToMergeWith(event.index);
      if (earlier) return this.merge(earlier, event);
    }
    this.buffer.push(event);
  }

  /** The cell's progress event still waiting, when nothing that changes how it reads came after it. */
  private progressToMergeWith(index: number): Progress | null {
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const e = this.buffer[i];
      if (e.kind === 'scenario' || e.kind === 'file-error' || e.kind === 'done') return null;
      if (e.index !== index) continue;
      return e.kind === 'train-progress' ? e : null;
    }
    return null;
  }

  private merge(earlier: Progress, later: Progress): void {
    let into = earlier;
    if (!this.merged.has(earlier)) {
      // The runner's listeners share the original event: extend a copy.
      into = { ...earlier, losses: [...earlier.losses], accuracy: [...earlier.accuracy] };
      this.merged.add(into);
      this.buffer[this.buffer.lastIndexOf(earlier)] = into;
    }
    into.done = later.done;
    into.steps = later.steps;
    for (const v of later.losses) into.losses.push(v);
    for (const v of later.accuracy) into.accuracy.push(v);
    if (later.boundary) into.boundary = later.boundary;
  }

  private pump(): void {
    if (this.buffer.length === 0) return;
    const now = this.clock.now();
    // A run's end does not wait for the batch in flight: it goes right behind it.
    if (this.inFlight && !this.urgent && now - this.inFlight.sentAt < LOST_BATCH_MS) return this.wakeIn(this.inFlight.sentAt + LOST_BATCH_MS - now);
    const wait = this.urgent ? 0 : this.lastSend + this.intervalMs - now;
    if (wait > 0) return this.wakeIn(wait);
    this.cancelTimer();
    const events = this.buffer;
    this.buffer = [];
    this.urgent = false;
    this.lastSend = now;
    const seq = ++this.seq;
    this.inFlight = { seq, sentAt: now };
    // A panel torn down mid-way never answers: LOST_BATCH_MS lets the stream go on without it.
    this.send(events).then(
      () => this.drawn(seq),
      () => undefined,
    );
  }

  private wakeIn(ms: number): void {
    this.cancelTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

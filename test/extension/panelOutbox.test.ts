import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DecisionGrid } from '../../core/results';
import type { PanelEvent } from '../../core/events';
import { PanelOutbox } from '../../extension/panel/panelOutbox';

const grid = (mark: number): DecisionGrid => ({ xMin: 0, xMax: 1, yMin: 0, yMax: 1, size: 1, argmax: [mark], confidence: [0.5] });
const progress = (index: number, done: number, losses: number[], boundary: DecisionGrid | null = null): PanelEvent => ({
  kind: 'train-progress',
  index,
  id: `c${index}`,
  done,
  steps: 1000,
  losses,
  accuracy: losses.map((l) => 1 - l),
  boundary,
});
const started = (index: number): PanelEvent => ({ kind: 'cell-started', index, id: `c${index}` });
const done: PanelEvent = { kind: 'done', cancelled: true };

describe('PanelOutbox (events paced by what the panel draws)', () => {
  /** Each batch sent, numbered from 1, and how the test says the panel drew it. */
  let sent: { events: PanelEvent[]; seq: number; drawn(): void }[];
  /** The panel drew batch `seq` (its reply reaches the outbox a microtask later, as a channel reply does). */
  const drawn = async (seq: number) => {
    sent[seq - 1].drawn();
    await Promise.resolve();
    await Promise.resolve();
  };
  let outbox: PanelOutbox;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    outbox = new PanelOutbox(33, (events) => new Promise((resolve) => sent.push({ events, seq: sent.length + 1, drawn: () => resolve(null) })));
  });
  afterEach(() => vi.useRealTimers());

  it('keeps at most one batch in flight: what comes meanwhile waits until the panel has drawn it', async () => {
    outbox.push([started(0)]);
    expect(sent.map((s) => s.seq)).toEqual([1]);
    outbox.push([started(1)]);
    outbox.push([started(2)]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(1);
    await drawn(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ events: [started(1), started(2)], seq: 2 });
    await drawn(1); // an answer again changes nothing
    outbox.push([started(3)]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });

  it('folds a waiting training into one progress event per cell, with only its latest boundary, leaving the originals alone', async () => {
    outbox.push([started(0)]);
    const first = progress(0, 2, [0.9, 0.8], grid(1));
    const originals = [first, progress(1, 1, [0.5]), progress(0, 3, [0.7]), progress(0, 5, [0.6, 0.5], grid(3)), progress(0, 6, [0.4])];
    const copy = structuredClone(originals);
    outbox.push(originals);
    await drawn(1);
    vi.advanceTimersByTime(33);
    expect(sent[1].events).toEqual([
      {
        kind: 'train-progress',
        index: 0,
        id: 'c0',
        done: 6,
        steps: 1000,
        losses: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
        accuracy: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((a) => expect.closeTo(a, 12)),
        boundary: grid(3),
      },
      progress(1, 1, [0.5]),
    ]);
    expect(originals).toEqual(copy);
  });

  it('never folds progress across what changes how it reads (a result of its cell, a new run, the end)', async () => {
    outbox.push([started(0)]);
    const result: PanelEvent = { kind: 'cell-failed', index: 0, result: { id: 'c0', type: 'train', ok: false, error: { message: 'x', path: [] } } };
    const scenario: PanelEvent = { kind: 'scenario', title: '', dtype: 'float32', cells: [{ index: 0, id: 'c0', type: 'train' }] };
    const stream = [progress(0, 1, [1]), result, progress(0, 1, [2]), scenario, progress(0, 1, [3]), done, progress(0, 1, [4])];
    outbox.push(stream);
    await drawn(1);
    vi.advanceTimersByTime(33);
    expect(sent[1].events).toEqual(stream);
  });

  it("sends a run's end at once, with all that waits, even with a batch in flight", async () => {
    outbox.push([started(0)]);
    outbox.push([progress(0, 1, [1])]);
    expect(sent).toHaveLength(1);
    outbox.push([done], true);
    expect(sent[1]).toMatchObject({ events: [progress(0, 1, [1]), done], seq: 2 });
    await drawn(1); // the batch before it: nothing more to send
    outbox.push([started(0)]);
    expect(sent).toHaveLength(2);
    await drawn(2);
    vi.advanceTimersByTime(33);
    expect(sent).toHaveLength(3);
  });

  it('stops waiting for a batch the panel never answers after 3 s; a hydrate (clear) drops what waits', async () => {
    outbox.push([started(0)]);
    outbox.push([started(1)]);
    vi.advanceTimersByTime(2999);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((s) => s.seq)).toEqual([1, 2]);
    outbox.push([started(2)]);
    outbox.clear();
    await drawn(2);
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(2);
    outbox.push([started(3)]);
    expect(sent[2]).toMatchObject({ events: [started(3)], seq: 3 });
  });
});

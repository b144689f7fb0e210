import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../extension/coalescer';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('emits the first item at once, then at most once per interval, keeping order', () => {
    const emitted: number[][] = [];
    const c = new Coalescer<number>(33, (items) => emitted.push(items));
    c.push(1);
    expect(emitted).toEqual([[1]]);
    c.push(2);
    c.push(3, 4);
    expect(emitted).toHaveLength(1);
    vi.advanceTimersByTime(32);
    expect(emitted).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([[1], [2, 3, 4]]);
  });

  it('without a leading edge, holds the first items for an interval; a flush sends them at once', () => {
    const emitted: number[][] = [];
    const c = new Coalescer<number>(16, (items) => emitted.push(items), undefined, false);
    c.push(1);
    c.push(2);
    vi.advanceTimersByTime(15);
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([[1, 2]]);
    const quick = new Coalescer<number>(16, (items) => emitted.push(items), undefined, false);
    quick.push(3);
    quick.flush();
    expect(emitted).toEqual([[1, 2], [3]]);
  });

  it('without a leading edge, holds the first items of every burst, long after the last emit too', () => {
    // A document's next run (a keystroke a second later) must reach the host as one message, as its first run did.
    const emitted: string[][] = [];
    const c = new Coalescer<string>(16, (items) => emitted.push(items), undefined, false);
    c.push('scenario', 'result');
    c.flush();
    vi.advanceTimersByTime(1000);
    c.push('scenario');
    expect(emitted).toEqual([['scenario', 'result']]);
    vi.advanceTimersByTime(5);
    c.push('result');
    c.flush();
    expect(emitted).toEqual([
      ['scenario', 'result'],
      ['scenario', 'result'],
    ]);
  });

  it('without a leading edge, holds only the start of a burst: a long run streams its progress without the hold', () => {
    const emitted: number[][] = [];
    const c = new Coalescer<number>(16, (items) => emitted.push(items), undefined, false);
    c.push(0);
    vi.advanceTimersByTime(16);
    expect(emitted).toEqual([[0]]);
    vi.advanceTimersByTime(34);
    c.push(50); // a training's next progress, 50 ms on: sent at once
    expect(emitted).toEqual([[0], [50]]);
  });

  it('caps a flood at ~30 messages a second', () => {
    let messages = 0;
    let items = 0;
    const c = new Coalescer<number>(33, (batch) => {
      messages++;
      items += batch.length;
    });
    for (let t = 0; t < 1000; t++) {
      c.push(t, t);
      vi.advanceTimersByTime(1);
    }
    c.flush();
    expect(items).toBe(2000);
    expect(messages).toBeLessThanOrEqual(32);
  });

  it('flush emits now; clear drops the tail; nothing is emitted for nothing', () => {
    const emitted: string[][] = [];
    const c = new Coalescer<string>(100, (items) => emitted.push(items));
    c.push('a');
    c.push('b');
    c.flush();
    expect(emitted).toEqual([['a'], ['b']]);
    c.push('c');
    c.clear();
    vi.advanceTimersByTime(1000);
    c.flush();
    expect(emitted).toEqual([['a'], ['b']]);
  });
});

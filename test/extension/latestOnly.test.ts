import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../extension/panel/latestOnly';

/** Work that runs until the test ends it. */
function controlled() {
  const started: string[] = [];
  const ends = new Map<string, () => void>();
  const work = (name: string) => () => {
    started.push(name);
    return new Promise<void>((resolve) => ends.set(name, resolve));
  };
  const end = async (name: string) => {
    ends.get(name)!();
    // The queue takes its next work a few microtasks after a run ends.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, work, end };
}

describe("LatestOnly (a drag's transient edits on their way to the engine)", () => {
  it('runs one at a time; while one runs only the newest waits, and every caller hears when what replaced it is over', async () => {
    const { started, work, end } = controlled();
    const queue = new LatestOnly();
    const over: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) void queue.push(work(name)).then(() => over.push(name));
    expect(started).toEqual(['a']);
    await end('a');
    expect(started).toEqual(['a', 'd']);
    expect(over).toEqual(['a']);
    await end('d');
    expect(over).toEqual(['a', 'b', 'c', 'd']);
    void queue.push(work('e'));
    expect(started).toEqual(['a', 'd', 'e']);
  });

  it('clear drops the waiting work (a release runs its own final value) and says it is over', async () => {
    const { started, work, end } = controlled();
    const queue = new LatestOnly();
    void queue.push(work('a'));
    let dropped = false;
    void queue.push(work('b')).then(() => (dropped = true));
    queue.clear();
    await Promise.resolve();
    expect(dropped).toBe(true);
    await end('a');
    expect(started).toEqual(['a']);
  });

  it('goes on after a run that fails', async () => {
    const queue = new LatestOnly();
    await queue.push(() => Promise.reject(new Error('engine failed')));
    const ran: string[] = [];
    await queue.push(async () => void ran.push('next'));
    expect(ran).toEqual(['next']);
  });
});

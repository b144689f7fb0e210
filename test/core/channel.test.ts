// The request/reply channel: two ends wired back to back, as a host and its worker are.
import { describe, expect, it } from 'vitest';
import { Channel, ChannelClosedError, type Wire } from '../../core/channel';

type Doubler = {
  requests: { double(params: { n: number }): number; fail(params: null): never; slow(params: { n: number }): number };
  notices: { hello: { name: string } };
};
type Asker = { requests: { askBack(params: null): string }; notices: { bye: null } };

/** Two ends whose posts reach each other on the next microtask, as postMessage does (asynchronously). */
function pair() {
  const heard: string[] = [];
  const slow: ((n: number) => void)[] = [];
  const wires: Wire[] = [];
  const ends = {} as { doubler: Channel<Doubler, Asker> };
  const asker: Channel<Asker, Doubler> = new Channel<Asker, Doubler>((wire) => void Promise.resolve().then(() => ends.doubler.receive(wire)), {
    requests: { askBack: () => 'from the asker' },
    notices: { bye: () => void heard.push('bye') },
  });
  const doubler = new Channel<Doubler, Asker>(
    (wire) => {
      wires.push(wire);
      void Promise.resolve().then(() => asker.receive(wire));
    },
    {
      requests: {
        double: ({ n }) => 2 * n,
        fail: () => {
          throw new Error('no such thing');
        },
        slow: ({ n }) => new Promise<number>((resolve) => slow.push(() => resolve(n))),
      },
      notices: { hello: ({ name }) => void heard.push(`hello ${name}`) },
    },
  );
  ends.doubler = doubler;
  return { asker, doubler, heard, slow, wires };
}

describe('Channel', () => {
  it('answers each request with its own reply, in whatever order they come', async () => {
    const { asker, slow } = pair();
    const first = asker.request('slow', { n: 1 });
    const second = asker.request('double', { n: 21 });
    expect(await second).toBe(42);
    await expect.poll(() => slow.length).toBe(1);
    slow[0](1);
    expect(await first).toBe(1);
    expect(asker.waiting).toBe(0);
  });

  it("rejects with the other side's error message", async () => {
    const { asker } = pair();
    await expect(asker.request('fail', null)).rejects.toThrow('no such thing');
  });

  it('carries notices both ways, and requests from either end', async () => {
    const { asker, doubler, heard } = pair();
    asker.notify('hello', { name: 'worker' });
    doubler.notify('bye', null);
    expect(await doubler.request('askBack', null)).toBe('from the asker');
    expect(heard).toEqual(['hello worker', 'bye']);
  });

  it('a closed channel rejects what waits and what comes after, and sends nothing more', async () => {
    const { asker, doubler, wires } = pair();
    const waiting = asker.request('slow', { n: 1 });
    asker.close('the worker died');
    await expect(waiting).rejects.toBeInstanceOf(ChannelClosedError);
    await expect(asker.request('double', { n: 1 })).rejects.toThrow('the worker died');
    doubler.close('gone');
    doubler.notify('bye', null);
    expect(wires.filter((w) => w.kind === 'notice')).toEqual([]);
  });

  it('an unknown method is answered with an error, not a hang', async () => {
    const { asker } = pair();
    const untyped = asker as unknown as Channel<Asker, { requests: { nothing(p: null): null }; notices: Record<string, never> }>;
    await expect(untyped.request('nothing', null)).rejects.toThrow('no request "nothing"');
  });
});

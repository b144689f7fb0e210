import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../helpers/fakeEngine';
import { ScenarioRunner } from '../../extension/runner';
import { RunningKey } from '../../extension/runningKey';

describe('RunningKey (ceLab.running)', () => {
  let values: boolean[];
  let key: RunningKey;
  beforeEach(() => {
    vi.useFakeTimers();
    values = [];
    key = new RunningKey((v) => values.push(v), 250);
  });
  afterEach(() => {
    key.dispose();
    vi.useRealTimers();
  });

  it('starts false, turns true once a run of the active scenario has lasted the delay, false when it ends', () => {
    key.active('a');
    key.running('a');
    vi.advanceTimersByTime(249);
    expect(values).toEqual([false]);
    vi.advanceTimersByTime(1);
    expect(values).toEqual([false, true]);
    key.running(null);
    expect(values).toEqual([false, true, false]);
  });

  it('never shows a short run (a live edit)', () => {
    key.active('a');
    key.running('a');
    vi.advanceTimersByTime(100);
    key.running(null);
    vi.advanceTimersByTime(1000);
    expect(values).toEqual([false]);
  });

  it('follows the active editor: false on another scenario, true again on the running one', () => {
    key.active('a');
    key.running('a');
    vi.advanceTimersByTime(300);
    key.active('b');
    key.active('a');
    expect(values).toEqual([false, true, false, true]);
  });

  it('stays true when a run is superseded by another of the same document; restarts the delay for another document', () => {
    key.active('a');
    key.running('a');
    vi.advanceTimersByTime(300);
    key.running('a');
    expect(values).toEqual([false, true]);
    key.running('b');
    expect(values).toEqual([false, true, false]);
    key.active('b');
    vi.advanceTimersByTime(300);
    expect(values).toEqual([false, true, false, true]);
  });
});

describe('ScenarioRunner.runningUri (what the key follows)', () => {
  it('is the document in flight, unchanged by a superseded run ending, null when the last run ends', async () => {
    const engine = new FakeEngine();
    const runner = new ScenarioRunner(engine, async () => new Uint8Array());
    const seen: (string | null)[] = [];
    runner.onRunning((uri) => seen.push(uri));
    const source = (uri: string) => ({ uri, text: '{}', folder: null, root: null });
    void runner.run(source('a'));
    void runner.run(source('b'));
    expect(runner.runningUri).toBe('b');
    // The worker answers the older run: superseded by the newer one.
    engine.runs[0].end('superseded');
    await vi.waitFor(() => expect(seen).toEqual(['a', 'b']));
    engine.runs[1].end();
    await vi.waitFor(() => expect(runner.runningUri).toBeNull());
    expect(seen).toEqual(['a', 'b', null]);
  });
});

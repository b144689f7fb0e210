import { describe, expect, it } from 'vitest';
import { RunGate } from '../../extension/worker/runGate';

/** Whether `p` has settled once every job already queued has run (setImmediate comes after all of them). */
const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('RunGate', () => {
  it('lets steps through until paused, then one per Step, all on Resume', async () => {
    const gate = new RunGate(new AbortController().signal);
    expect(await settled(gate.beforeStep())).toBe(true);
    gate.setPaused(true);
    const held = gate.beforeStep();
    expect(await settled(held)).toBe(false);
    gate.step();
    expect(await settled(held)).toBe(true);
    const next = gate.beforeStep();
    expect(await settled(next)).toBe(false);
    gate.setPaused(false);
    expect(await settled(next)).toBe(true);
  });

  it('a Step pressed before the engine gets there is not lost', async () => {
    const gate = new RunGate(new AbortController().signal);
    gate.setPaused(true);
    gate.step();
    expect(await settled(gate.beforeStep())).toBe(true);
    expect(await settled(gate.beforeStep())).toBe(false);
  });

  it('aborting releases a paused run so it can end', async () => {
    const controller = new AbortController();
    const gate = new RunGate(controller.signal);
    gate.setPaused(true);
    const held = gate.beforeStep();
    controller.abort();
    expect(await settled(held)).toBe(true);
    expect(await settled(gate.beforeStep())).toBe(true);
  });
});

// Giving the keyboard back to the panel (extension/panel/refocus.ts): revealed again only while the panel
// replies that it has no focus, and never more than FOCUS_TRIES times.
import { describe, expect, it } from 'vitest';
import { FOCUS_TRIES, untilFocused } from '../../extension/panel/refocus';

/** A panel that answers the focus question with `answers` in turn, recording reveals and questions in order. */
function panel(answers: boolean[]) {
  const log: string[] = [];
  return {
    log,
    reveal: () => void log.push('reveal'),
    focused: async () => (log.push('focused?'), answers.shift() ?? false),
  };
}

describe('untilFocused', () => {
  it('reveals once when the panel has the keyboard after the first reveal', async () => {
    const p = panel([true]);
    expect(await untilFocused(p.reveal, p.focused)).toBe(true);
    expect(p.log).toEqual(['reveal', 'focused?']);
  });

  it('reveals again after each reply that the panel has no focus, until it has', async () => {
    const p = panel([false, true]);
    expect(await untilFocused(p.reveal, p.focused)).toBe(true);
    expect(p.log).toEqual(['reveal', 'focused?', 'reveal', 'focused?']);
  });

  it('gives up after FOCUS_TRIES reveals when the focus never comes', async () => {
    const p = panel([]);
    expect(await untilFocused(p.reveal, p.focused)).toBe(false);
    expect(p.log.filter((l) => l === 'reveal')).toHaveLength(FOCUS_TRIES);
  });
});

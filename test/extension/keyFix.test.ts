// The misspelt-key quick fix without VS Code: the engine's "did you mean" warning,
// placed on the key as the editor's diagnostics place it, gives the edit that
// writes the known name there; the edited scenario then runs with no warning.
import { describe, expect, it } from 'vitest';
import { suggestionIn } from '../../core/scenario/suggest';
import { keyFixFor } from '../../extension/keyFix';
import { locateProblems } from '../../extension/problems';
import { runState } from '../helpers/run';

const scenario = (cell: object) => JSON.stringify({ version: 1, cells: [cell] }, null, 2);
const typo = scenario({ type: 'loss', id: 'typo', logits: [[2.0, 1.0, 0.1]], target: [0], label_smothing: 0.25 });

/** The text's warnings as the editor shows them (span and message), from a real run. */
async function warnings(text: string) {
  return locateProblems(text, await runState(text)).filter((p) => p.severity === 'warning');
}
const apply = (text: string, fix: { offset: number; length: number; newText: string }) =>
  text.slice(0, fix.offset) + fix.newText + text.slice(fix.offset + fix.length);

describe('the misspelt-key quick fix', () => {
  it('"label_smothing" → Change to label_smoothing: replaces the key, keeps the value, and the warning goes', async () => {
    const [warning] = await warnings(typo);
    expect(warning.message).toMatch(/did you mean "label_smoothing"\?/);
    const fix = keyFixFor(typo, warning.offset, warning.length, warning.message);
    expect(fix).toEqual({
      title: 'Change to label_smoothing',
      offset: warning.offset,
      length: '"label_smothing"'.length,
      newText: '"label_smoothing"',
    });
    const fixed = apply(typo, fix!);
    expect(fixed).toContain('"label_smoothing": 0.25');
    expect(fixed).not.toContain('label_smothing');
    expect(await warnings(fixed)).toEqual([]);
    // The fixed cell does use the value: its loss is label-smoothed, unlike the one with the typo.
    const loss = async (text: string) => {
      const r = (await runState(text)).cells[0].result;
      return r?.ok && r.type === 'loss' && typeof r.loss === 'number' ? r.loss : NaN;
    };
    expect(await loss(fixed)).toBeGreaterThan(await loss(typo));
  });

  it('fixes a nested key too (optimizer "momentun" → momentum)', async () => {
    const text = scenario({
      type: 'train',
      id: 't',
      model: { layers: [2, 2] },
      data: { dataset: 'moons', n: 8 },
      optimizer: { type: 'sgd', lr: 0.1, momentun: 0.9 },
      steps: 1,
    });
    const [warning] = await warnings(text);
    const fix = keyFixFor(text, warning.offset, warning.length, warning.message);
    expect(fix?.title).toBe('Change to momentum');
    expect(apply(text, fix!)).toContain('"momentum": 0.9');
    expect(await warnings(apply(text, fix!))).toEqual([]);
  });

  it('offers nothing when the key under the warning changed since, or the message suggests no name', async () => {
    const [warning] = await warnings(typo);
    const edited = typo.replace('"label_smothing"', '"label_smoothin"');
    expect(keyFixFor(edited, warning.offset, warning.length, warning.message)).toBeNull();
    expect(keyFixFor(typo, warning.offset, warning.length, 'Unknown field "zzz" in a loss cell; it is ignored. Known fields: logits.')).toBeNull();
    expect(keyFixFor(typo, 0, 1, warning.message)).toBeNull();
  });

  it('reads back exactly what the engine writes, escapes included', () => {
    const message = 'Unknown field "a\\"b" in optimizer: did you mean "ab"? As written it is ignored.';
    expect(suggestionIn(message)).toEqual({ key: 'a"b', guess: 'ab' });
    expect(suggestionIn('Target 7 is out of bounds.')).toBeNull();
  });
});

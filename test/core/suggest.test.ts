// "Did you mean …?": typos of a field name find it; other words do not.
import { describe, expect, it } from 'vitest';
import { LOSS_FIELDS } from '../../core/scenario/lossCell';
import { closestName, editDistance } from '../../core/scenario/suggest';

/** A loss cell's fields: the names a misspelt key is matched against. */
const LOSS = ['type', 'id', 'title', ...LOSS_FIELDS];

describe('closestName', () => {
  it('counts edits as Damerau-Levenshtein does', () => {
    expect(editDistance('label_smothing', 'label_smoothing')).toBe(1);
    expect(editDistance('lable_smoothing', 'label_smoothing')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['label_smothing', 'label_smoothing'],
    ['lable_smoothing', 'label_smoothing'],
    ['Temperature', 'temperature'],
    ['logit', 'logits'],
    ['targets', 'target'],
    ['ignore_idx', 'ignore_index'],
  ])('%s -> %s', (typo, meant) => {
    expect(closestName(typo, LOSS)).toBe(meant);
  });

  it.each(['colour', 'x', 'smoothing_factor'])('%s is not a typo of any field', (word) => {
    expect(closestName(word, LOSS)).toBeNull();
  });
});

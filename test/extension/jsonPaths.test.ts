import { describe, expect, it } from 'vitest';
import { emptyRunState, applyEvent } from '../../core/runState';
import { locateCells, setValueEdits, spanOfPath } from '../../extension/jsonPaths';
import { locateProblems, longTrainingWarnings } from '../../extension/problems';
import { runState } from '../helpers/run';
import { scenarioEvent } from '../helpers/scenarioEvent';

const text = `{
  "version": 1,
  "cells": [
    { "type": "markdown", "text": "hi" },
    { "type": "loss", "id": "two", "logits": [[2.0, 1.0, 0.1], [0.0, 5.0, 0.2]], "target": [0, 7] }
  ]
}`;
const at = (s: { offset: number; length: number } | null) => (s ? text.slice(s.offset, s.offset + s.length) : null);

describe('spanOfPath', () => {
  it('finds the exact value at a path', () => {
    expect(at(spanOfPath(text, ['cells', 1, 'target', 1]))).toBe('7');
    expect(at(spanOfPath(text, ['cells', 1, 'logits', 1, 2]))).toBe('0.2');
    expect(spanOfPath(text, ['cells', 1, 'target', 1])?.approximate).toBe(false);
  });

  it('falls back to the nearest existing parent', () => {
    const s = spanOfPath(text, ['cells', 1, 'weight', 0]);
    expect(at(s)?.startsWith('{ "type": "loss"')).toBe(true);
    expect(s?.approximate).toBe(true);
    expect(at(spanOfPath(text, ['cells', 9]))?.startsWith('[')).toBe(true);
    expect(at(spanOfPath(text, []))).toBe(text);
  });

  it('copes with text that is not JSON', () => {
    expect(spanOfPath('', ['cells'])).toBeNull();
    const unfinished = '{"cells": [1, ';
    const slice = (s: { offset: number; length: number } | null) => (s ? unfinished.slice(s.offset, s.offset + s.length) : null);
    expect(slice(spanOfPath(unfinished, ['cells', 0]))).toBe('1');
    // The missing element falls back to the (unclosed) array that should hold it.
    expect(spanOfPath(unfinished, ['cells', 1])).toEqual({ offset: 10, length: 4, approximate: true });
    expect(slice(spanOfPath(unfinished, ['cells', 1]))).toBe('[1, ');
  });
});

describe('locateCells', () => {
  it('lists cells with their id (or the default) and offset', () => {
    const cells = locateCells(text);
    expect(cells.map((c) => [c.index, c.id, c.type])).toEqual([
      [0, 'cell-0', 'markdown'],
      [1, 'two', 'loss'],
    ]);
    expect(text.slice(cells[1].offset).startsWith('{ "type": "loss"')).toBe(true);
  });

  it('is empty without a cells array', () => {
    expect(locateCells('{"cells": 3}')).toEqual([]);
    expect(locateCells('not json')).toEqual([]);
  });
});

describe('locateProblems', () => {
  const run = () => {
    const s = emptyRunState();
    applyEvent(
      s,
      scenarioEvent([
        ['cell-0', 'markdown'],
        ['two', 'loss'],
      ]),
    );
    return s;
  };

  it("puts a failed cell's error on the offending value", () => {
    const s = run();
    applyEvent(s, {
      kind: 'cell-failed',
      index: 1,
      result: { id: 'two', type: 'loss', ok: false, error: { message: 'Target 7 is out of bounds.', path: ['cells', 1, 'target', 1] } },
    });
    const [p] = locateProblems(text, s);
    expect(p.severity).toBe('error');
    expect(p.message).toBe('Target 7 is out of bounds.');
    expect(text.slice(p.offset, p.offset + p.length)).toBe('7');
  });

  it("puts a misspelt field's warning on its key, with the field it probably means", async () => {
    const misspelt = text.replace('"target": [0, 7]', '"target": [0, 1], "label_smothing": 0.1');
    const [p] = locateProblems(misspelt, await runState(misspelt));
    expect(p.severity).toBe('warning');
    expect(p.message).toMatch(/did you mean "label_smoothing"\?/);
    expect(misspelt.slice(p.offset, p.offset + p.length)).toBe('"label_smothing"');
  });

  it("puts a misspelt optimizer option's warning on its key inside the train cell's optimizer", async () => {
    const train = JSON.stringify({
      version: 1,
      cells: [
        {
          type: 'train',
          id: 't',
          model: { layers: [2, 2] },
          data: { x: [[0, 1]], target: [1] },
          optimizer: { type: 'sgd', lr: 0.1, momentun: 0.9 },
          steps: 1,
        },
      ],
    });
    const [p] = locateProblems(train, await runState(train));
    expect(p.message).toMatch(/^Unknown field "momentun" in optimizer: did you mean "momentum"\?/);
    expect(train.slice(p.offset, p.offset + p.length)).toBe('"momentun"');
  });

  it('shows only the file error when the file is unusable; nothing once fixed', () => {
    const s = run();
    applyEvent(s, { kind: 'cell-failed', index: 1, result: { id: 'two', type: 'loss', ok: false, error: { message: 'x', path: ['cells', 1] } } });
    applyEvent(s, { kind: 'file-error', error: { message: 'Unsupported version 2; this CE Lab reads version 1.', path: ['version'] } });
    expect(locateProblems(text, s).map((p) => [p.message, text.slice(p.offset, p.offset + p.length)])).toEqual([
      ['Unsupported version 2; this CE Lab reads version 1.', '1'],
    ]);
    const fixed = run();
    expect(locateProblems(text, fixed)).toEqual([]);
  });
});

describe('longTrainingWarnings', () => {
  const train = (id: string, steps: number) => `{ "type": "train", "id": "${id}", "steps": ${steps} }`;
  const doc = `{"cells": [${train('short', 500)}, ${train('long', 1000000)}, { "type": "loss", "steps": 1e9 }]}`;

  it('warns on the steps of a train cell over the limit only', () => {
    const warnings = longTrainingWarnings(doc, 100000);
    expect(warnings.map((w) => [w.severity, doc.slice(w.offset, w.offset + w.length)])).toEqual([['warning', '1000000']]);
    expect(warnings[0].message).toMatch(/"long" runs 1,000,000 steps, more than ceLab\.training\.warnSteps \(100,000\)/);
  });

  it('says nothing when the limit is 0 (off)', () => {
    expect(longTrainingWarnings(doc, 0)).toEqual([]);
  });
});

describe('setValueEdits', () => {
  const apply = (src: string, edits: { offset: number; length: number; content: string }[]) =>
    [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.content + t.slice(e.offset + e.length), src);

  it('replaces an existing value in place', () => {
    const out = apply(text, setValueEdits(text, ['cells', 1, 'logits', 0, 0], 2.5));
    expect(out).toBe(text.replace('[[2.0, 1.0', '[[2.5, 1.0'));
  });

  it("adds a property in the object's own style without reflowing its arrays", () => {
    const multi = '{\n  "cells": [\n    {\n      "type": "loss",\n      "classes": ["a", "b"]\n    }\n  ]\n}';
    expect(apply(multi, setValueEdits(multi, ['cells', 0, 'label_smoothing'], 0.1))).toBe(
      '{\n  "cells": [\n    {\n      "type": "loss",\n      "classes": ["a", "b"],\n      "label_smoothing": 0.1\n    }\n  ]\n}',
    );
    const out = apply(text, setValueEdits(text, ['cells', 1, 'temperature'], 2));
    expect(out).toContain('"target": [0, 7], "temperature": 2 }');
    expect(JSON.parse(out).cells[1].temperature).toBe(2);
  });

  it('falls back to jsonc-parser for a missing parent', () => {
    const out = apply('{}', setValueEdits('{}', ['a', 'b'], 1));
    expect(JSON.parse(out)).toEqual({ a: { b: 1 } });
  });
});

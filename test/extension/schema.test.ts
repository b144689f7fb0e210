// What VS Code's JSON support makes of media/schemas/ce-scenario.schema.json,
// through the same language service it runs: hover, completion, snippets and
// schema diagnostics, as a user meets them while writing a scenario.
import Ajv from 'ajv';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeNpyLoader } from '../../node/npyFiles';
import { completeAt, hoverAt, schema, validate } from '../helpers/jsonLanguage';
import { runState } from '../helpers/run';

type Properties = Record<string, { markdownDescription?: string }>;
const kinds = ['loss', 'sweep', 'train', 'markdown'] as const;
const cellProperties = (kind: string): Properties => schema.definitions[`${kind}Cell`].properties;

/** A snippet body with each placeholder replaced by its default (the first choice of a ${n|a,b|}). */
function expand(body: unknown): unknown {
  const text = JSON.stringify(body)
    .replace(/"\^((?:[^"\\]|\\.)*)"/g, (_m, raw: string) => JSON.parse(`"${raw}"`))
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1');
  return JSON.parse(text);
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe('hover', () => {
  it.each(['label_smoothing', 'temperature', 'logits', 'target'])(
    'on the loss cell key %s shows its own description with an example',
    async (key) => {
      const text = await hoverAt(`{"cells": [{"type": "loss", "${key.slice(0, 2)}|${key.slice(2)}": 0}]}`);
      expect(text).toContain(cellProperties('loss')[key].markdownDescription!.split('\n')[0].slice(0, 40));
      expect(text).toMatch(/Example: `"/);
      // Not the shared definitions' generic text of old.
      expect(text).not.toMatch(/A number, or "inf"|Nested arrays of numbers \(rectangular\)/);
    },
  );

  it('on a sweep cell\'s "from"', async () => {
    expect(await hoverAt('{"cells": [{"type": "sweep", "fr|om": 0}]}')).toMatch(/^First value of the sweep/);
  });

  it.each(kinds)('every field of a %s cell has a description with an example, and hover shows it', async (kind) => {
    for (const [key, property] of Object.entries(cellProperties(kind))) {
      if (key === 'type') continue;
      expect(property.markdownDescription, `${kind}.${key}`).toMatch(/Example: `/);
      const shown = await hoverAt(`{"cells": [{"type": "${kind}", "${key[0]}|${key.slice(1)}": 0}]}`);
      expect(shown, `${kind}.${key}`).toBe(property.markdownDescription);
    }
  });
});

describe('completion', () => {
  it('inside "cells": [] offers a snippet per kind of cell, and tensors from npy files and random draws', async () => {
    const items = (await completeAt('{"cells": [|]}')).items;
    expect(labels(items)).toEqual(
      expect.arrayContaining([
        'loss cell',
        'loss cell (logits from a .npy file)',
        'loss cell (random logits)',
        'sweep cell',
        'train cell (toy dataset)',
        'train cell (x and target)',
        'markdown cell',
      ]),
    );
    const tensors = labels((await completeAt('{"cells": [{"type": "loss", "logits": |}]}')).items);
    expect(tensors).toEqual(expect.arrayContaining(['{"npy": …}', '{"random": …}']));
  });

  it('an empty cell is offered "type" only', async () => {
    expect(labels((await completeAt('{"cells": [{|}]}')).items)).toEqual(['type']);
  });

  it.each([
    ['loss', ['logits', 'target', 'label_smoothing', 'temperature'], ['of', 'param', 'model', 'text']],
    ['sweep', ['of', 'param', 'from', 'to', 'steps'], ['logits', 'model', 'text']],
    ['train', ['model', 'data', 'optimizer', 'steps', 'batch_size'], ['logits', 'of', 'text']],
    ['markdown', ['text'], ['logits', 'of', 'model']],
  ])('once "type" is %s only its fields are offered', async (kind, offered, notOffered) => {
    const got = labels((await completeAt(`{"cells": [{"type": "${kind}", |}]}`)).items);
    expect(got).toEqual(expect.arrayContaining(offered));
    for (const key of notOffered) expect(got).not.toContain(key);
  });

  it('accepting a key inserts "key": and a value skeleton', async () => {
    const items = (await completeAt('{"cells": [{"type": "loss", |}]}')).items;
    const insert = (label: string) => items.find((i) => i.label === label)?.insertText;
    expect(insert('logits')).toBe('"logits": [[${1:2.0}, ${2:1.0}, ${3:0.1}]]');
    expect(insert('target')).toBe('"target": [${1:0}]');
    expect(insert('label_smoothing')).toBe('"label_smoothing": ${1:0}');
    for (const item of items) expect(item.insertText, item.label).toMatch(/^"\w+": /);
  });

  it("an optimizer offers only its own type's arguments", async () => {
    const sgd = labels((await completeAt('{"cells": [{"type": "train", "optimizer": {"type": "sgd", |}}]}')).items);
    expect(sgd).toEqual(expect.arrayContaining(['lr', 'momentum', 'nesterov']));
    expect(sgd).not.toContain('betas');
  });
});

describe('schema diagnostics', () => {
  it('accept class names from a file, and nothing else in its place', async () => {
    const cell = (classes: string) => `{"cells": [{"type": "loss", "logits": [1, 2], "target": 0, "classes": ${classes}}]}`;
    expect(await validate(cell('{"file": "labels.txt"}'))).toEqual([]);
    expect(await validate(cell('["cat", "dog"]'))).toEqual([]);
    expect((await validate(cell('{"path": "labels.txt"}'))).length).toBeGreaterThan(0);
  });

  it('accept calibration as true, false or {"bins": 2..100}, and nothing else', async () => {
    const loss = (value: string) => `{"cells": [{"type": "loss", "logits": [[1, 2]], "target": [0], "calibration": ${value}}]}`;
    for (const ok of ['true', 'false', '{}', '{"bins": 2}', '{"bins": 100}']) expect(await validate(loss(ok)), ok).toEqual([]);
    for (const bad of ['{"bins": 1}', '{"bins": 101}', '{"bins": 2.5}', '{"bin": 15}', '15'])
      expect((await validate(loss(bad))).length, bad).toBeGreaterThan(0);
  });

  it('flag a misspelt key of a cell', async () => {
    const problems = await validate('{"cells": [{"type": "loss", "logits": [1, 2], "target": 0, "label_smothing": 0.1}]}');
    expect(problems.map((p) => p.message)).toEqual(['Property label_smothing is not allowed.']);
  });
});

describe('snippets', () => {
  const ajv = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const cellSnippets: { label: string; body: unknown }[] = schema.definitions.cell.defaultSnippets;
  const examples = path.resolve(__dirname, '..', '..', 'examples');

  it.each(cellSnippets.map((s) => [s.label, s.body] as const))('%s, as inserted, is a valid cell that runs clean', async (label, body) => {
    // The sweep snippet names the loss snippet's id: that one goes first.
    const before = label === 'sweep cell' ? [expand(cellSnippets[0].body)] : [];
    const scenario = { version: 1, cells: [...before, expand(body)] };
    expect(ajv(scenario), JSON.stringify(ajv.errors)).toBe(true);
    const state = await runState(JSON.stringify(scenario), { loadNpy: makeNpyLoader(examples, examples), progressIntervalMs: 1e9 });
    const result = state.cells.at(-1)!.result;
    expect(result?.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    expect(result && 'warnings' in result ? result.warnings : []).toEqual([]);
  });
});

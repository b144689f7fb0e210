// The notebook serializer's round trip (extension/notebook/notebookText.ts):
// every example and 1,000 seeded fuzzed scenarios, in several layouts, come back
// byte for byte; an edit of one cell rewrites that cell's span and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellSpan, parseNotebook, saveNotebook, serializeNotebook, type NotebookModel } from '../../extension/notebook/notebookText';
import { anyScenario, EXAMPLES } from '../fuzz/scenarios';

/** A scenario's text laid out another way: indentation, line ends, a final newline or not. */
const layouts = fc.record({ indent: fc.constantFrom<string | number>(0, 2, 4, '\t'), crlf: fc.boolean(), finalNewline: fc.boolean() });
function laidOut(text: string, { indent, crlf, finalNewline }: { indent: string | number; crlf: boolean; finalNewline: boolean }): string {
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, indent);
  } catch {
    // Broken text stays as it is.
  }
  out = out.replace(/\n$/, '') + (finalNewline ? '\n' : '');
  return crlf ? out.replace(/\n/g, '\r\n') : out;
}

/** Asserts `after` is `before` with only file cell `index`'s span replaced. */
function expectOnlyCellChanged(before: string, after: string, index: number): void {
  const span = cellSpan(before, index)!;
  expect(after.startsWith(before.slice(0, span.offset))).toBe(true);
  expect(after.endsWith(before.slice(span.offset + span.length))).toBe(true);
}

const withCell = (model: NotebookModel, k: number, value: string): NotebookModel => ({
  ...model,
  cells: model.cells.map((c, i) => (i === k ? { ...c, value } : c)),
});

describe('notebook round trip', () => {
  it.each(EXAMPLES.map((e) => [e.name, e.text]))('%s opens and saves to the same bytes', (_name, text) => {
    const model = parseNotebook(text);
    expect(model.cells.length).toBeGreaterThan(0);
    expect(serializeNotebook(model)).toBe(text);
  });

  it('1,000 fuzzed scenarios, in any layout, open and save to the same bytes', () => {
    fc.assert(
      fc.property(anyScenario, layouts, (text, layout) => {
        const laid = laidOut(text, layout);
        expect(serializeNotebook(parseNotebook(laid))).toBe(laid);
      }),
      { numRuns: 1000, seed: 21 },
    );
  });

  it('an edit of one fuzzed cell rewrites only that cell, and reads back as typed', () => {
    fc.assert(
      fc.property(anyScenario, layouts, fc.nat(), (text, layout, pick) => {
        const laid = laidOut(text, layout);
        const model = parseNotebook(laid);
        if (cellSpan(laid, 0) === null) return;
        const k = pick % model.cells.length;
        const cell = model.cells[k];
        const value = cell.kind === 'markdown' ? `${cell.value} — edited` : '{\n  "type": "loss",\n  "logits": [1, 2],\n  "target": 0\n}';
        const saved = serializeNotebook(withCell(model, k, value));
        expectOnlyCellChanged(laid, saved, cell.origin!);
        expect(parseNotebook(saved).cells[k].value).toBe(value);
      }),
      { numRuns: 300, seed: 2121 },
    );
  });
});

const SCENARIO = [
  '{',
  '\t"title": "t",',
  '\t"cells": [',
  '\t\t{',
  '\t\t\t"type": "markdown",',
  '\t\t\t"id": "intro",',
  '\t\t\t"text": "Hello \\u00e9"',
  '\t\t},',
  '\t\t{',
  '\t\t\t"type": "loss",',
  '\t\t\t"logits": [1, 2, 3],',
  '\t\t\t"target": 0',
  '\t\t}',
  '\t]',
  '}',
].join('\r\n');

describe('notebook cells', () => {
  it('shows Markdown cells as Markdown and the others as their JSON without the file indentation', () => {
    const { cells, fields } = parseNotebook(SCENARIO);
    expect(cells).toEqual([
      { kind: 'markdown', value: 'Hello é', origin: 0 },
      { kind: 'code', value: '{\n\t"type": "loss",\n\t"logits": [1, 2, 3],\n\t"target": 0\n}', origin: 1 },
    ]);
    expect(fields).toEqual({ title: 't' });
  });

  it('keeps a cell of odd layout as it was (lines less indented than the cell, whitespace-only lines)', () => {
    const odd = '{"cells": [\n    {"type": "loss",\n"logits": [1],\n      \n  "target": 0}  ,  {"type": "markdown"},\n{}\n]}';
    expect(serializeNotebook(parseNotebook(odd))).toBe(odd);
  });

  it('writes an edited code cell in the file indentation and line ends', () => {
    const model = parseNotebook(SCENARIO);
    const saved = serializeNotebook(withCell(model, 1, '{\n\t"type": "loss",\n\t"logits": [1, 2, 4],\n\t"target": 0\n}'));
    expect(saved).toBe(SCENARIO.replace('[1, 2, 3]', '[1, 2, 4]'));
  });

  it('writes an edited Markdown cell into its text only, keeping its other fields', () => {
    const saved = serializeNotebook(withCell(parseNotebook(SCENARIO), 0, 'Bye "you"\nnow'));
    expect(saved).toBe(SCENARIO.replace('"Hello \\u00e9"', '"Bye \\"you\\"\\nnow"'));
  });

  it('saves a cell whose JSON does not parse as typed', () => {
    const saved = serializeNotebook(withCell(parseNotebook(SCENARIO), 1, '{ "type": "loss", "logits": [1, 2,'));
    expect(saved).toContain('\t\t{ "type": "loss", "logits": [1, 2,\r\n\t]');
  });

  it('moves, removes and adds cells with the file separators', () => {
    const model = parseNotebook(SCENARIO);
    const [md, loss] = model.cells;
    const moved = serializeNotebook({ ...model, cells: [loss, md] });
    expect(parseNotebook(moved).cells.map((c) => c.kind)).toEqual(['code', 'markdown']);
    const withEmpty = saveNotebook({ ...model, cells: [loss, { kind: 'code', value: ' ' }, md] });
    expect(withEmpty).toEqual({ text: moved, indexes: [0, null, 1] }); // an empty cell is not written
    const added = serializeNotebook({ ...model, cells: [md, loss, { kind: 'markdown', value: 'new' }] });
    expect(added).toBe(SCENARIO.replace('\t\t}\r\n\t]', '\t\t},\r\n\t\t{\r\n\t\t\t"type": "markdown",\r\n\t\t\t"text": "new"\r\n\t\t}\r\n\t]'));
    const none = serializeNotebook({ ...model, cells: [] });
    expect(JSON.parse(none)).toEqual({ title: 't', cells: [] });
    const again = serializeNotebook({ ...parseNotebook(none), cells: [{ kind: 'code', value: '{"type": "loss"}' }] });
    expect(JSON.parse(again).cells).toEqual([{ type: 'loss' }]);
  });

  it('writes top-level fields edited in the notebook metadata, and only those', () => {
    const model = parseNotebook(SCENARIO);
    const saved = serializeNotebook({ ...model, fields: { title: 'new', seed: 3 } });
    expect(saved).toBe(SCENARIO.replace('"t"', '"new"').replace('\t]\r\n}', '\t],\r\n\t"seed": 3\r\n}'));
    expect(serializeNotebook({ ...parseNotebook(saved), fields: {} })).toBe(SCENARIO.replace('\t"title": "t",\r\n', ''));
  });

  it('opens text that is no scenario as one code cell, saved as typed', () => {
    const broken = '{"cells": [ {"type": "loss", ';
    const model = parseNotebook(broken);
    expect(model.cells).toEqual([{ kind: 'code', value: broken, origin: 0 }]);
    expect(serializeNotebook(model)).toBe(broken);
    expect(serializeNotebook(withCell(model, 0, '{"cells": []}'))).toBe('{"cells": []}');
  });
});

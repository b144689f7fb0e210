// A scenario's text <-> the cells of a CE Lab notebook, vscode-free so it is
// unit-tested on plain strings. The round trip is exact: the model keeps the
// file's text and each cell's place in it, and saving splices. A cell left
// alone is written as the bytes it came from, an edited one in the file's own
// indentation and line ends; what lies between and around the cells (the
// top-level fields, separators, a missing final newline) is copied as it was.
import { findNodeAtLocation, getNodeValue, modify, parseTree, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as jsonPaths.ts
import { setValueEdits, type TextEdit } from '../jsonPaths';

export interface NotebookCellModel {
  kind: 'markdown' | 'code';
  /** What the notebook shows, with `\n` line ends: a Markdown cell's `text`; a code cell's JSON, its indentation in the file taken off. */
  value: string;
  /** Index of the file's cell it came from; absent for a cell added in the notebook. */
  origin?: number;
}

export interface NotebookModel {
  cells: NotebookCellModel[];
  /** The scenario's top-level fields (all but `cells`) as the file has them; edit them here to change them. */
  fields: Record<string, unknown>;
  /** The text the notebook was opened from: saving splices into it. */
  source: string;
}

/** Where the cells lie in a scenario's text; null when the text is not strict JSON with a `cells` array. */
interface Layout {
  root: Node;
  cells: Node[];
  /** Offset just after the cells array's `[`, and of its `]`. */
  open: number;
  close: number;
  eol: string;
  /** One level of the file's indentation. */
  unit: string;
  /** Indentation of the `"cells"` line, and of a cell in the array. */
  cellsIndent: string;
  cellIndent: string;
}

export function parseNotebook(source: string): NotebookModel {
  const layout = layoutOf(source);
  // Not a scenario object (broken JSON, no cells array): one code cell holds the whole text, as typed.
  if (!layout) return { cells: [{ kind: 'code', value: lf(source), origin: 0 }], fields: {}, source };
  const cells = layout.cells.map((node, index): NotebookCellModel => {
    const text = markdownText(node);
    return text === null
      ? { kind: 'code', value: dedent(spanText(source, node), indentAt(source, node.offset)), origin: index }
      : { kind: 'markdown', value: text, origin: index };
  });
  return { cells, fields: fieldsOf(layout.root), source };
}

export function serializeNotebook(model: NotebookModel): string {
  return saveNotebook(model).text;
}

/** The text to save, and for each notebook cell its index among the file's cells (null: not written, or no cells array). */
export function saveNotebook(model: NotebookModel): { text: string; indexes: (number | null)[] } {
  const { source } = model;
  const layout = layoutOf(source);
  if (!layout) {
    const [only] = model.cells;
    const unchanged = model.cells.length === 1 && only.origin === 0 && lf(only.value) === lf(source);
    const text = unchanged
      ? source
      : model.cells
          .map((c) => lf(c.value))
          .join('\n')
          .replace(/\n/g, eolOf(source));
    return { text, indexes: model.cells.map(() => null) };
  }
  const all = model.cells.map((cell) => cellText(cell, source, layout));
  const texts = all.filter((t) => t !== '');
  let written = 0;
  const indexes = all.map((t) => (t === '' ? null : written++));
  const { cells, open, close, eol, cellIndent, cellsIndent } = layout;
  const separators = cells.slice(1).map((node, k) => source.slice(end(cells[k]), node.offset));
  const separator = separators.at(-1) ?? `,${eol}${cellIndent}`;
  const lead = cells.length ? source.slice(open, cells[0].offset) : `${eol}${cellIndent}`;
  const trail = cells.length ? source.slice(end(cells[cells.length - 1]), close) : `${eol}${cellsIndent}`;
  const inner = texts.length ? lead + texts.map((t, k) => (k ? (separators[k - 1] ?? separator) : '') + t).join('') + trail : '';
  const spliced = source.slice(0, open) + inner + source.slice(close);
  return { text: applyFieldEdits(spliced, fieldsOf(layout.root), model.fields, layout), indexes };
}

/** The span of file cell `index` in `source` (offset, length), for tests and for the notebook to report. */
export function cellSpan(source: string, index: number): { offset: number; length: number } | null {
  const node = layoutOf(source)?.cells[index];
  return node ? { offset: node.offset, length: node.length } : null;
}

/** A cell as the file will hold it: its own bytes when unchanged, else its value in the file's indentation; '' for an empty code cell. */
function cellText(cell: NotebookCellModel, source: string, layout: Layout): string {
  const node = cell.origin === undefined ? undefined : layout.cells[cell.origin];
  const original = node ? spanText(source, node) : '';
  if (cell.kind === 'markdown') {
    const text = node ? markdownText(node) : null;
    if (node && text !== null) {
      if (cell.value === text) return original;
      const textNode = findNodeAtLocation(node, ['text'])!;
      return original.slice(0, textNode.offset - node.offset) + JSON.stringify(cell.value) + original.slice(end(textNode) - node.offset);
    }
    const inside = layout.cellIndent + layout.unit;
    return `{${layout.eol}${inside}"type": "markdown",${layout.eol}${inside}"text": ${JSON.stringify(cell.value)}${layout.eol}${layout.cellIndent}}`;
  }
  if (node && lf(cell.value) === dedent(original, indentAt(source, node.offset))) return original;
  // Whitespace around a cell's JSON means nothing, and would break the separators: it goes; the rest is kept as typed.
  const typed = lf(cell.value).trim();
  return typed
    .split('\n')
    .map((line, k) => (k === 0 || line === '' ? line : layout.cellIndent + line))
    .join(layout.eol);
}

/** The top-level fields edited in the notebook, written into `text` one by one (each edit touches only its own property). */
function applyFieldEdits(text: string, before: Record<string, unknown>, after: Record<string, unknown>, layout: Layout): string {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  let result = text;
  for (const key of keys) {
    if (key === 'cells' || JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const edits: TextEdit[] =
      after[key] === undefined
        ? modify(result, [key], undefined, {
            formattingOptions: { tabSize: layout.unit.length, insertSpaces: !layout.unit.includes('\t'), eol: layout.eol },
          })
        : setValueEdits(result, [key], after[key], layout.unit, layout.eol);
    result = applyEdits(result, edits);
  }
  return result;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.content + t.slice(e.offset + e.length), text);
}

function layoutOf(source: string): Layout | null {
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const array = root?.type === 'object' && errors.length === 0 ? findNodeAtLocation(root, ['cells']) : undefined;
  if (!root || !array || array.type !== 'array') return null;
  const cells = array.children ?? [];
  const first = root.children?.[0];
  const unit = first ? indentAt(source, first.offset).slice(indentAt(source, root.offset).length) || '  ' : '  ';
  const cellsIndent = indentAt(source, array.parent!.offset);
  return {
    root,
    cells,
    open: array.offset + 1,
    close: end(array) - 1,
    eol: eolOf(source),
    unit,
    cellsIndent,
    cellIndent: cells.length ? indentAt(source, cells[0].offset) : cellsIndent + unit,
  };
}

/** A Markdown cell's `text` when the cell is `{"type": "markdown", "text": "…"}`; null for any other cell (it shows as JSON). */
function markdownText(node: Node): string | null {
  if (node.type !== 'object') return null;
  const [type, text] = [findNodeAtLocation(node, ['type']), findNodeAtLocation(node, ['text'])];
  return type?.value === 'markdown' && text?.type === 'string' ? (text.value as string) : null;
}

function fieldsOf(root: Node): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value && key.value !== 'cells') fields[key.value as string] = getNodeValue(value);
  }
  return fields;
}

const end = (node: Node) => node.offset + node.length;
const spanText = (source: string, node: Node) => source.slice(node.offset, end(node));
/** `\r\n` line ends as `\n` (a cell's text in the notebook). */
const lf = (text: string) => text.replace(/\r\n/g, '\n');
/** The file's line end: that of its first line. */
const eolOf = (source: string) => (/\r\n/.test(source.slice(0, source.indexOf('\n') + 1)) ? '\r\n' : '\n');

/** The whitespace before `offset` on its line, when only whitespace precedes it there; else ''. */
function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const before = source.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : '';
}

/** A cell's text with `indent` taken off its continuation lines, `\n` line ends. */
function dedent(text: string, indent: string): string {
  return lf(text)
    .split('\n')
    .map((line, k) => (k > 0 && indent && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

// JSON path <-> text offsets with jsonc-parser. Pure (no vscode) so the
// diagnostics, reveal and CodeLens logic is unit-tested on plain strings.
import { findNodeAtLocation, modify, parseTree, type Node } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot bundle the UMD one's dynamic requires
import type { JsonPath } from '../core/results';

export interface Span {
  offset: number;
  length: number;
  /** True when `path` itself is missing and this is its nearest existing parent. */
  approximate: boolean;
}

/** The span of the value at `path`, or of its nearest existing parent; null only if the text has no JSON value at all. */
export function spanOfPath(text: string, path: JsonPath): Span | null {
  const root = parseTree(text);
  if (!root) return null;
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return { offset: node.offset, length: node.length, approximate: n < path.length };
  }
  return null;
}

/** The span of the property name whose value is at `path` (quotes included), or null when there is no such property. */
export function spanOfKey(text: string, path: JsonPath): Span | null {
  const root = parseTree(text);
  const key = root && findNodeAtLocation(root, path)?.parent?.children?.[0];
  return key ? { offset: key.offset, length: key.length, approximate: false } : null;
}

export interface CellLocation {
  index: number;
  /** The cell's id, or the engine's default `cell-<index>`. */
  id: string;
  type: string | null;
  /** Offset of the cell's opening brace. */
  offset: number;
  /** The span of its `steps` value when that is a number. */
  steps: (Span & { value: number }) | null;
}

/** The cells of a scenario text, in order; tolerant of half-typed JSON. */
export function locateCells(text: string): CellLocation[] {
  const root = parseTree(text);
  const cells = root && findNodeAtLocation(root, ['cells']);
  if (!cells || cells.type !== 'array' || !cells.children) return [];
  return cells.children.map((cell, index) => ({
    index,
    id: stringProperty(cell, 'id') ?? `cell-${index}`,
    type: stringProperty(cell, 'type'),
    offset: cell.offset,
    steps: numberProperty(cell, 'steps'),
  }));
}

function numberProperty(node: Node, key: string): (Span & { value: number }) | null {
  const value = node.type === 'object' ? findNodeAtLocation(node, [key]) : undefined;
  return value?.type === 'number' ? { offset: value.offset, length: value.length, approximate: false, value: value.value as number } : null;
}

function stringProperty(node: Node, key: string): string | null {
  const value = node.type === 'object' ? findNodeAtLocation(node, [key]) : undefined;
  return value?.type === 'string' ? (value.value as string) : null;
}

export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

/**
 * The edits that set the value at `path`, touching as little as possible: an
 * existing value is replaced in place, a new property goes after the last one
 * in the object's own style; anything else is left to jsonc-parser's `modify`
 * (whose formatter would otherwise reflow neighbouring arrays).
 */
export function setValueEdits(text: string, path: JsonPath, value: unknown, indent = '  ', eol = '\n'): TextEdit[] {
  const root = parseTree(text);
  const existing = root && findNodeAtLocation(root, path);
  if (existing) return [{ offset: existing.offset, length: existing.length, content: JSON.stringify(value) }];
  const key = path[path.length - 1];
  const parent = root && typeof key === 'string' ? findNodeAtLocation(root, path.slice(0, -1)) : undefined;
  const last = parent?.type === 'object' ? parent.children?.at(-1) : undefined;
  if (parent && last) {
    const property = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    const multiline = text.slice(parent.offset, last.offset).includes('\n');
    const lineStart = text.lastIndexOf('\n', last.offset) + 1;
    const lastIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    return [{ offset: last.offset + last.length, length: 0, content: multiline ? `,${eol}${lastIndent}${property}` : `, ${property}` }];
  }
  return modify(text, path, value, { formattingOptions: { tabSize: indent.length, insertSpaces: !indent.includes('\t'), eol } });
}

/**
 * Whether `after` differs from `before` only inside cells other than cell `index`:
 * the same top-level fields, the same cells (count, ids, kinds) and cell `index`
 * unchanged to the character. A training in that cell then need not restart.
 */
export function onlyOtherCellsChanged(before: string, after: string, index: number): boolean {
  const [a, b] = [parseTree(before), parseTree(after)];
  if (a?.type !== 'object' || b?.type !== 'object') return false;
  const outside = (text: string, root: Node) =>
    (root.children ?? []).filter((p) => p.children?.[0]?.value !== 'cells').map((p) => text.slice(p.offset, p.offset + p.length));
  if (JSON.stringify(outside(before, a)) !== JSON.stringify(outside(after, b))) return false;
  const [cellsA, cellsB] = [findNodeAtLocation(a, ['cells']), findNodeAtLocation(b, ['cells'])];
  if (cellsA?.type !== 'array' || cellsB?.type !== 'array' || cellsA.children?.length !== cellsB.children?.length) return false;
  const [kept, now] = [cellsA.children?.[index], cellsB.children?.[index]];
  if (!kept || !now || before.slice(kept.offset, kept.offset + kept.length) !== after.slice(now.offset, now.offset + now.length)) return false;
  const headers = (cells: Node) => (cells.children ?? []).map((c) => `${stringProperty(c, 'id')}\u0000${stringProperty(c, 'type')}`);
  return JSON.stringify(headers(cellsA)) === JSON.stringify(headers(cellsB));
}

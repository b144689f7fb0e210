// No import circles among the source folders: each module's relative imports
// (type-only ones, re-exports and import() too) form a graph without a cycle,
// so every part can be read, tested and bundled starting from its leaves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['core', 'extension', 'webview', 'node'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

/** Each file's relative imports that resolve to a source file, as TypeScript's scanner lists them (not those inside strings or comments). */
function importGraph(): Map<string, string[]> {
  const files = new Set(FOLDERS.flatMap((folder) => sources(path.join(ROOT, folder))));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => path.resolve(path.dirname(file), fileName))
      .flatMap((base) => [`${base}.ts`, path.join(base, 'index.ts')].filter((candidate) => files.has(candidate)).slice(0, 1));
    graph.set(file, targets);
  }
  return graph;
}

/** The first cycle found by a depth-first walk, as the files on it, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | null => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    if (state.has(file)) continue;
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

it('core, extension, webview and node have no import circle', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(100);
  expect(findCycle(graph)?.map((f) => path.relative(ROOT, f))).toBeUndefined();
});

it('the check finds a circle when there is one', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
  ]);
  expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
});

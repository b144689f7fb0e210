// Which cells of a scenario depend on which: a sweep names the loss cell it
// sweeps by id (`"of"`, docs/SCENARIO.md). vscode-free; the notebook marks a
// changed cell's dependents stale with it.
import { findNodeAtLocation, parseTree } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as jsonPaths.ts
import { locateCells } from '../jsonPaths';

/** The indexes of the cells that depend, directly or through others, on cell `index` of `text`. */
export function dependentsOf(text: string, index: number): number[] {
  const cells = locateCells(text);
  const root = parseTree(text);
  const of = cells.map((c) => {
    const node = root && findNodeAtLocation(root, ['cells', c.index, 'of']);
    return node?.type === 'string' ? (node.value as string) : null;
  });
  const found = new Set<number>();
  const visit = (i: number) => {
    const id = cells[i]?.id;
    of.forEach((target, j) => {
      if (target === id && !found.has(j) && j !== index) {
        found.add(j);
        visit(j);
      }
    });
  };
  visit(index);
  return [...found].sort((a, b) => a - b);
}

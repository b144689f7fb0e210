// A scenario value that cannot be used, with the JSON path of that value.
import type { JsonPath } from '../results';

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
  ) {
    super(message);
  }
}

/** Where a value sits, for messages and the panel: cells[2].target[0]; the empty path is "(document)". */
export function describePath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(document)';
}

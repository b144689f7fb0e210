// A scenario value that cannot be used, with the JSON path of that value.
import type { JsonPath, LimitSetting, Problem } from '../results';

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
    /** Set when the value is over limits: each one it exceeds (see limits.ts). */
    readonly limits?: LimitSetting[],
  ) {
    super(message);
  }

  /** The problem a cell or the file reports. */
  problem(): Problem {
    return { message: this.message, path: this.path, ...(this.limits ? { limits: this.limits } : {}) };
  }
}

/** Where a value sits, for messages and the panel: cells[2].target[0]; the empty path is "(document)". */
export function describePath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(document)';
}

// Reads the {"npy": "relative/path.npy"} files of a scenario, next to it and
// never outside its workspace folder (Node only: used by the CLI and the worker).
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileLoader } from '../core/scenario/tensorValue';
import { readBoundedRegularFile } from './boundedFile';

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `baseDir`: the scenario's folder; `workspaceRoot`: the folder files must stay in (defaults to baseDir). */
export function makeNpyLoader(baseDir: string | null, workspaceRoot: string | null): FileLoader {
  return async (relativePath, _jsonPath, maxBytes) => {
    if (!baseDir) throw new Error('an untitled scenario cannot read .npy files: save it first');
    if (path.isAbsolute(relativePath)) throw new Error(`"${relativePath}" is absolute: write a path relative to the scenario's folder`);
    const root = await realpath(workspaceRoot ?? baseDir).catch(() => path.resolve(workspaceRoot ?? baseDir));
    const resolved = path.resolve(baseDir, relativePath);
    let real: string;
    try {
      real = await realpath(resolved);
    } catch {
      throw new Error(`no file at "${relativePath}" (looked for ${resolved})`);
    }
    if (!inside(root, real)) throw new Error(`"${relativePath}" is outside the workspace folder ${root}; .npy files must stay inside it`);
    return readBoundedRegularFile(real, maxBytes);
  };
}

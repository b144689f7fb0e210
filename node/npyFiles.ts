// Reads the files a scenario names ({"npy": "relative/path.npy"} and the other
// tensor and names files), next to it and never outside its workspace folder
// (Node only: used by the CLI and the worker).
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import type { RangeFileOpener } from '../core/files/rangeFile';
import type { FileLoader } from '../core/scenario/tensorValue';
import { readBoundedRegularFile } from './boundedFile';
import { openRangeFile } from './rangeFile';

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of a file the scenario names, checked to be inside the workspace; rejects with a readable message. */
async function resolveNamedFile(baseDir: string | null, workspaceRoot: string | null, relativePath: string): Promise<string> {
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
  return real;
}

/** `baseDir`: the scenario's folder; `workspaceRoot`: the folder files must stay in (defaults to baseDir). */
export function makeNpyLoader(baseDir: string | null, workspaceRoot: string | null): FileLoader {
  return async (relativePath, _jsonPath, maxBytes) => readBoundedRegularFile(await resolveNamedFile(baseDir, workspaceRoot, relativePath), maxBytes);
}

/** `length` bytes from `offset` of a named file, with the file's size and version (the extension host answers the worker's range reads so). */
export async function readNamedRange(baseDir: string | null, workspaceRoot: string | null, relativePath: string, offset: number, length: number) {
  const file = await openRangeFile(await resolveNamedFile(baseDir, workspaceRoot, relativePath), relativePath);
  try {
    return { bytes: await file.read(offset, length), size: file.size, version: file.version };
  } finally {
    await file.close();
  }
}

/** Opens files to stream (a loss cell's large logits file), with the same rules. */
export function makeRangeFileOpener(baseDir: string | null, workspaceRoot: string | null): RangeFileOpener {
  return async (relativePath) => openRangeFile(await resolveNamedFile(baseDir, workspaceRoot, relativePath), relativePath);
}

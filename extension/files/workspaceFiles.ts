// Reads a file a scenario names through vscode.workspace.fs: any file system
// VS Code has (a remote, github.dev's virtual one), desktop or web. Nothing
// outside the scenario's workspace folder is read, and no symbolic link on the
// way is followed (workspace.fs cannot say where one points).
import * as vscode from 'vscode';
import type { FileRange } from '../../core/protocol';
import type { ScenarioSource } from '../runner';
import { fileTooBig } from '../../core/limits';
import { isInside, resolveScenarioPath } from './scenarioPath';

/** A URI as a person reads it: its path (a remote's or github.dev's authority adds nothing to the message). */
const shown = (uri: vscode.Uri): string => (uri.scheme === 'file' ? uri.fsPath : uri.path);

/** The file a scenario names, checked to be a regular file inside its workspace folder, and its stat. */
async function checkedTarget(source: ScenarioSource, relativePath: string): Promise<{ target: vscode.Uri; stat: vscode.FileStat }> {
  if (!source.folder) throw new Error('an untitled scenario cannot read files: save it first');
  const folder = vscode.Uri.parse(source.folder);
  const root = source.root ? vscode.Uri.parse(source.root) : folder;
  const target = folder.with({ path: resolveScenarioPath(folder.path, relativePath) });
  const sameFileSystem = target.scheme === root.scheme && target.authority === root.authority;
  if (!sameFileSystem || !isInside(root.path, target.path))
    throw new Error(`"${relativePath}" is outside the workspace folder ${shown(root)}; files must stay inside it`);

  // Each step below the root: a link there could lead anywhere.
  const below = target.path.slice(root.path.replace(/\/$/, '').length).split('/').filter(Boolean);
  let at = root;
  for (const part of below) {
    at = vscode.Uri.joinPath(at, part);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(at);
    } catch {
      throw new Error(`no file at "${relativePath}" (looked for ${shown(target)})`);
    }
    if (stat.type & vscode.FileType.SymbolicLink)
      throw new Error(`"${relativePath}" goes through the symbolic link ${shown(at)}, which CE Lab does not follow here`);
    if (at.path === target.path && stat.type & vscode.FileType.Directory) throw new Error(`"${relativePath}" is a folder, not a file`);
    if (at.path === target.path && !(stat.type & vscode.FileType.File)) throw new Error(`"${relativePath}" is not a regular file`);
    if (at.path === target.path) return { target, stat };
  }
  throw new Error(`no file at "${relativePath}" (looked for ${shown(target)})`);
}

export async function readWithWorkspaceFs(source: ScenarioSource, relativePath: string, maxBytes: number): Promise<Uint8Array> {
  const { target, stat } = await checkedTarget(source, relativePath);
  if (stat.size > maxBytes) throw new Error(fileTooBig(stat.size, maxBytes));
  return vscode.workspace.fs.readFile(target);
}

/** The last file read whole for range reads: workspace.fs reads whole files only, so a streamed file is read once per version. */
let lastWhole: { key: string; bytes: Uint8Array } | null = null;

export async function readRangeWithWorkspaceFs(source: ScenarioSource, relativePath: string, offset: number, length: number): Promise<FileRange> {
  const { target, stat } = await checkedTarget(source, relativePath);
  const version = `${stat.size}:${stat.mtime}`;
  const key = `${target.toString()}|${version}`;
  if (lastWhole?.key !== key) lastWhole = { key, bytes: await vscode.workspace.fs.readFile(target) };
  if (offset + length > lastWhole.bytes.length)
    throw new Error(`${relativePath} ends at byte ${lastWhole.bytes.length}, before byte ${offset + length}`);
  return { bytes: lastWhole.bytes.slice(offset, offset + length), size: stat.size, version };
}

// Reads a file a scenario names through vscode.workspace.fs: any file system
// VS Code has (a remote, github.dev's virtual one), desktop or web. Nothing
// outside the scenario's workspace folder is read, and no symbolic link on the
// way is followed (workspace.fs cannot say where one points).
import * as vscode from 'vscode';
import type { ScenarioSource } from '../runner';
import { fileTooBig } from '../../core/limits';
import { isInside, resolveScenarioPath } from './scenarioPath';

/** A URI as a person reads it: its path (a remote's or github.dev's authority adds nothing to the message). */
const shown = (uri: vscode.Uri): string => (uri.scheme === 'file' ? uri.fsPath : uri.path);

export async function readWithWorkspaceFs(source: ScenarioSource, relativePath: string, maxBytes: number): Promise<Uint8Array> {
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
    if (at.path === target.path && stat.size > maxBytes) throw new Error(fileTooBig(stat.size, maxBytes));
  }
  return vscode.workspace.fs.readFile(target);
}

// Desktop: files of a scenario on disk are read with Node fs (which resolves
// symbolic links, so a link cannot lead outside the workspace); any other file
// system (remote, virtual) through vscode.workspace.fs. Twin: readScenarioFile.web.ts.
import * as vscode from 'vscode';
import { makeNpyLoader, readNamedRange } from '../../node/npyFiles';
import type { DiskFolder } from '../../core/protocol';
import type { ScenarioFileReader, ScenarioRangeReader, ScenarioSource } from '../runner';
import { readRangeWithWorkspaceFs, readWithWorkspaceFs } from './workspaceFiles';

/** The scenario's folder and workspace root on disk, or null when it is not on disk. */
export function onDisk(source: ScenarioSource): DiskFolder | null {
  const folder = source.folder ? vscode.Uri.parse(source.folder) : null;
  if (folder?.scheme !== 'file') return null;
  const root = source.root ? vscode.Uri.parse(source.root) : null;
  return { folder: folder.fsPath, root: root?.scheme === 'file' ? root.fsPath : null };
}

export const readScenarioFile: ScenarioFileReader = (source, relativePath, maxBytes) => {
  const disk = onDisk(source);
  if (!disk) return readWithWorkspaceFs(source, relativePath, maxBytes);
  return makeNpyLoader(disk.folder, disk.root)(relativePath, [], maxBytes);
};

export const readScenarioRange: ScenarioRangeReader = (source, relativePath, offset, length) => {
  const disk = onDisk(source);
  if (!disk) return readRangeWithWorkspaceFs(source, relativePath, offset, length);
  return readNamedRange(disk.folder, disk.root, relativePath, offset, length);
};

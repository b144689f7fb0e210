// Desktop: files of a scenario on disk are read with Node fs (which resolves
// symbolic links, so a link cannot lead outside the workspace); any other file
// system (remote, virtual) through vscode.workspace.fs. Twin: readScenarioFile.web.ts.
import * as vscode from 'vscode';
import { makeNpyLoader } from '../../node/npyFiles';
import type { ScenarioFileReader } from '../runner';
import { readWithWorkspaceFs } from './workspaceFiles';

export const readScenarioFile: ScenarioFileReader = (source, relativePath, maxBytes) => {
  const folder = source.folder ? vscode.Uri.parse(source.folder) : null;
  if (folder?.scheme !== 'file') return readWithWorkspaceFs(source, relativePath, maxBytes);
  const root = source.root ? vscode.Uri.parse(source.root) : null;
  return makeNpyLoader(folder.fsPath, root?.scheme === 'file' ? root.fsPath : null)(relativePath, [], maxBytes);
};

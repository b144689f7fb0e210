// Desktop: the engine runs in a Node worker thread (dist/worker.js) with a
// memory cap. Twin: startEngine.web.ts (a Web Worker), picked by the web build.
import * as vscode from 'vscode';
import { settings } from '../config';
import type { SpawnWorker } from '../engineClient';
import { workerSpawner } from './spawnWorker';

export function engineSpawner(extensionUri: vscode.Uri): SpawnWorker {
  return workerSpawner(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath, () => settings().maxOldGenerationSizeMb);
}

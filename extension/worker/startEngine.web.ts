// Web: the engine runs in a Web Worker whose bundle is built into this one
// (scripts/buildConfig.mjs), so nothing has to be fetched from the extension's
// folder. Browsers have no per-worker heap limit; the hang watchdog still applies.
import type * as vscode from 'vscode';
import engineWorkerSource from 'ce-lab:engine-worker';
import type { SpawnWorker } from '../engineClient';
import { webWorkerSpawner } from './webWorkerSpawner';

export function engineSpawner(_extensionUri: vscode.Uri): SpawnWorker {
  return webWorkerSpawner(engineWorkerSource);
}

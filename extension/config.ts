// The extension's settings (contributed in package.json), read fresh each time.
import * as vscode from 'vscode';

export function settings() {
  const c = vscode.workspace.getConfiguration('ceLab');
  return {
    liveUpdate: c.get<boolean>('liveUpdate', true),
    debounceMs: c.get<number>('debounceMs', 0),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    maxOldGenerationSizeMb: c.get<number>('worker.maxOldGenerationSizeMb', 1024),
    runTimeoutSeconds: c.get<number>('worker.runTimeoutSeconds', 60),
    trainingWarnSteps: c.get<number>('training.warnSteps', 100_000),
  };
}

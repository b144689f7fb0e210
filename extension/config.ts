// The extension's settings (contributed in package.json), read fresh each time.
import * as vscode from 'vscode';
import { LIMIT_NAMES, type Limits } from '../core/limits';

export function settings() {
  const c = vscode.workspace.getConfiguration('ceLab');
  return {
    liveUpdate: c.get<boolean>('liveUpdate', true),
    debounceMs: c.get<number>('debounceMs', 0),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    maxOldGenerationSizeMb: c.get<number>('worker.maxOldGenerationSizeMb', 1024),
    runTimeoutSeconds: c.get<number>('worker.runTimeoutSeconds', 60),
    trainingWarnSteps: c.get<number>('training.warnSteps', 100_000),
    /** The ceLab.limits.* settings that are set; the engine ignores values that are not positive numbers. */
    limits: Object.fromEntries(
      LIMIT_NAMES.flatMap((name) => {
        const value = c.get<number>(`limits.${name}`);
        return value === undefined ? [] : [[name, value]];
      }),
    ) as Partial<Limits>,
  };
}

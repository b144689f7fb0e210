// The e2e suites retry a failed test (vitest.config.ts): this reporter keeps the
// retries from hiding anything. Every test that passed only on a later try is
// listed at the end of the run ("RETRIED: …") and in test-artifacts/e2e/retried.json,
// so flakiness stays visible in the CI log even when the run is green.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

function retried(task: RunnerTask, where: string[]): { test: string; tries: number; errors: string[] }[] {
  if (task.type === 'suite') return task.tasks.flatMap((t) => retried(t, [...where, task.name]));
  const retries = task.result?.retryCount ?? 0;
  if (task.type !== 'test' || task.result?.state !== 'pass' || retries === 0) return [];
  return [{ test: [...where, task.name].join(' > '), tries: retries + 1, errors: (task.result.errors ?? []).map((e) => e.message) }];
}

export default class RetriedReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const list = files.flatMap((file) => file.tasks.flatMap((t) => retried(t, [path.basename(file.name)])));
    const out = path.resolve('test-artifacts', 'e2e');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'retried.json'), JSON.stringify(list, null, 2));
    for (const r of list) console.log(`RETRIED: ${r.test} passed on try ${r.tries} (before: ${r.errors.join(' | ') || 'no message'})`);
    if (list.length === 0) console.log('RETRIED: none (every e2e test passed on its first try, or failed)');
  }
}

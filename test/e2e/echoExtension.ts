// Packages the latency floor's echo extension (test/e2e/echoExtension/) as a
// .vsix with the project's own vsce, into a temporary folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT } from './scenarios';

export function echoExtensionVsix(): string {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-echo-')), 'echo.vsix');
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: path.join(ROOT, 'test', 'e2e', 'echoExtension'),
    stdio: 'pipe',
  });
  return out;
}

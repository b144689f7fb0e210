// Runs every bundled example through the built CLI (the main job, headless) and
// exits non-zero if any example fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const examples = path.resolve('examples');
let failed = 0;
for (const file of readdirSync(examples)
  .filter((f) => f.endsWith('.ce.json'))
  .sort()) {
  const result = spawnSync(process.execPath, ['dist/cli.js', 'run', path.join(examples, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✗ ${file}: exit ${result.status}`);
  }
}
console.log(failed === 0 ? 'All examples ran clean.' : `${failed} example(s) failed.`);
process.exitCode = failed === 0 ? 0 : 1;

// npm run examples:data: (re)writes the example model files (PyTorch-free; see scripts/exampleData).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const out = path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-example-data-')), 'writeExampleData.js');
await build({
  entryPoints: ['scripts/exampleData/writeExampleData.ts'],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
process.exitCode = spawnSync(process.execPath, [out], { stdio: 'inherit' }).status ?? 1;

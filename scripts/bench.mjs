// npm run bench: bundles the benchmark sources (scripts/bench/) and runs them:
// CE Lab against PyTorch on one thread, side by side; writes bench-results.json.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildWasm } from './build-wasm.mjs';

await buildWasm();
const out = path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-bench-')), 'engineBench.js');
await build({ entryPoints: ['scripts/bench/engineBench.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
// The runner times each case in its own process (see engineBench.ts).
process.exitCode = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1;

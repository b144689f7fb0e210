// npm run bench: bundles the benchmark sources and runs them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildWasm } from './build-wasm.mjs';

await buildWasm();
const out = path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-bench-')), 'engineBench.js');
await build({ entryPoints: ['scripts/bench/engineBench.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
console.log(`CE Lab engine benchmarks (node ${process.version}); ratios below 1 mean the engine is faster than its peer.\n`);
let failed = false;
for (const name of ['ce-float64', 'ce-float32', 'train']) {
  failed ||= spawnSync(process.execPath, [out, name], { stdio: 'inherit' }).status !== 0;
}
process.exitCode = failed ? 1 : 0;

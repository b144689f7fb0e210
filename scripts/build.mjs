// Bundles the programs: extension host (desktop and web), engine worker, panel, CLI.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { buildWasm } from './build-wasm.mjs';
import { buildOptions } from './buildConfig.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// The engine embeds the compiled WebAssembly kernels (see build-wasm.mjs).
await buildWasm();

const active = Object.values(buildOptions({ production })).filter((b) => existsSync(b.entryPoints[0]));
if (watch) {
  for (const b of active) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(active.map((b) => esbuild.build(b)));
}

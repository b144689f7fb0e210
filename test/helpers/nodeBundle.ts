// Bundles an entry file for Node (CommonJS), as the build ships the CLI and the
// worker threads, so tests run what a user runs.
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Writes the bundle of `entry` to `outfile` (by default a new temporary folder); returns its path. */
export async function bundleForNode(entry: string, outfile?: string): Promise<string> {
  const target = outfile ?? path.join(mkdtempSync(path.join(tmpdir(), 'ce-lab-bundle-')), path.basename(entry).replace(/\.ts$/, '.js'));
  await esbuild.build({ entryPoints: [entry], outfile: target, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  return target;
}

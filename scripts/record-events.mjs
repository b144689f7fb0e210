// Records the engine's event stream for a scenario into a panel test fixture:
//   node scripts/record-events.mjs SCENARIO.ce.json OUT.json [--progress-ms N]
// The engine is TypeScript, so it is bundled to a temporary module first.
// Non-finite numbers are written as "NaN" / "Infinity" / "-Infinity" (JSON has none);
// the harness turns them back into numbers.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bundles TypeScript for Node at `outfile` and imports it; `input` is esbuild's `entryPoints` or `stdin`. */
export async function importBundled(input, outfile) {
  await esbuild.build({ ...input, bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  return import(pathToFileURL(outfile).href);
}

/** The engine's events for a scenario file, as the extension host sends them to the panel (without the loss cells' N×C tensors). */
export async function recordEvents(scenarioPath, progressIntervalMs) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'ce-record-'));
  try {
    const { evaluateScenario, panelEvent } = await importBundled(
      {
        stdin: {
          contents: `export { evaluateScenario } from './evaluate'; export { panelEvent } from './panelResults';`,
          resolveDir: join(root, 'core'),
          loader: 'ts',
        },
      },
      join(dir, 'engine.mjs'),
    );
    const events = [];
    for await (const event of evaluateScenario(readFileSync(scenarioPath, 'utf8'), { progressIntervalMs, defaultTitle: basename(scenarioPath) }))
      events.push(panelEvent(event));
    return events;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [scenarioPath, outPath, ...rest] = process.argv.slice(2);
  if (!scenarioPath || !outPath) {
    console.error('usage: node scripts/record-events.mjs SCENARIO.ce.json OUT.json [--progress-ms N]');
    process.exit(2);
  }
  const at = rest.indexOf('--progress-ms');
  const events = await recordEvents(scenarioPath, at >= 0 ? Number(rest[at + 1]) : undefined);
  const encode = (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
  writeFileSync(outPath, JSON.stringify({ source: `recorded from ${scenarioPath} by scripts/record-events.mjs`, events }, encode) + '\n');
  console.log(`${events.length} events -> ${outPath}`);
}

// The web build (package.json `browser`) must run where there is no Node: its
// extension bundle and the engine Web Worker bundle inside it import nothing but
// `vscode`, and building them for the browser fails outright on a Node built-in.
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildOptions, webWorkerOptions } from '../../scripts/buildConfig.mjs';

const root = path.resolve(__dirname, '..', '..');
const quiet = { absWorkingDir: root, write: false, metafile: true, logLevel: 'silent' } as const;

/** Every import the bundle left outside itself, and every module it took in. */
async function bundle(options: esbuild.BuildOptions) {
  const result = await esbuild.build({ ...options, ...quiet, outfile: undefined, outdir: path.join(root, 'dist', 'test-web') });
  const outputs = Object.values(result.metafile.outputs);
  return {
    external: outputs.flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)),
    inputs: Object.keys(result.metafile.inputs),
    text: result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '',
  };
}

describe('web bundles', () => {
  const options = buildOptions();

  it('the web extension bundle imports only vscode and carries the .web.ts twins', async () => {
    const web = await bundle(options.webExtension);
    expect(new Set(web.external)).toEqual(new Set(['vscode']));
    expect(web.inputs).toEqual(expect.arrayContaining(['extension/worker/startEngine.web.ts', 'extension/files/readScenarioFile.web.ts']));
    expect(web.inputs.filter((i) => i.startsWith('node/') || /startEngine\.ts$|readScenarioFile\.ts$|spawnWorker\.ts$/.test(i))).toEqual([]);
    // The engine worker is inside it, as the source of a blob.
    expect(web.text).toContain('CE Lab engine');
    expect(web.text).toMatch(/evaluate/);
  });

  it('the engine Web Worker bundle imports nothing and uses the web port', async () => {
    const worker = await bundle(webWorkerOptions({ bundle: true }));
    expect(worker.external).toEqual([]);
    expect(worker.inputs).toContain('extension/worker/workerPort.web.ts');
    expect(worker.inputs).not.toContain('extension/worker/workerPort.ts');
  });

  it('a Node built-in anywhere in the web build is a build error, not a silent shim', async () => {
    const withFs = {
      ...options.webExtension,
      entryPoints: undefined,
      stdin: { contents: "import { readFileSync } from 'node:fs'; export const x = readFileSync;", resolveDir: root, loader: 'ts' as const },
    };
    await expect(bundle(withFs)).rejects.toThrow(/node:fs/);
  });
});

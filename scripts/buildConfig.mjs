// The esbuild options of every bundle, shared by scripts/build.mjs and the test
// that checks the web bundles hold no Node built-in.
//
// Desktop: dist/extension.js (Node extension host) starts dist/worker.js (a Node
// worker thread). Web: dist/web/extension.js (the `browser` entry, run in a Web
// Worker extension host) carries the engine's Web Worker bundle inside it as text.
// Where Node and the browser differ, a module has a `x.web.ts` twin, which the
// web builds pick before `x.ts` (resolveExtensions).
import * as esbuild from 'esbuild';

/** Web builds resolve `./x` to `./x.web.ts` when that twin exists. */
const WEB_RESOLVE = ['.web.ts', '.ts', '.js', '.mjs', '.json'];

/** The engine Web Worker bundle (iife, browser). */
export function webWorkerOptions(common) {
  return {
    ...common,
    entryPoints: ['extension/worker/engineWorker.ts'],
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    resolveExtensions: WEB_RESOLVE,
  };
}

/** `import source from 'ce-lab:engine-worker'`: the worker bundle built on the spot, as a string. */
function engineWorkerSource(common) {
  return {
    name: 'engine-worker-source',
    setup(build) {
      build.onResolve({ filter: /^ce-lab:engine-worker$/ }, (args) => ({ path: args.path, namespace: 'engine-worker' }));
      build.onLoad({ filter: /.*/, namespace: 'engine-worker' }, async () => {
        const worker = await esbuild.build({ ...webWorkerOptions(common), sourcemap: false, logLevel: 'silent', write: false, metafile: true });
        return {
          contents: `export default ${JSON.stringify(worker.outputFiles[0].text)};`,
          loader: 'js',
          watchFiles: Object.keys(worker.metafile.inputs),
        };
      });
    },
  };
}

export function buildOptions({ production = false } = {}) {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info' };
  return {
    extension: {
      ...common,
      entryPoints: ['extension/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    },
    worker: {
      ...common,
      entryPoints: ['extension/worker/engineWorker.ts'],
      outfile: 'dist/worker.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    },
    webExtension: {
      ...common,
      entryPoints: ['extension/extension.ts'],
      outfile: 'dist/web/extension.js',
      platform: 'browser',
      format: 'cjs',
      target: 'es2022',
      external: ['vscode'],
      resolveExtensions: WEB_RESOLVE,
      plugins: [engineWorkerSource(common)],
    },
    webview: { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
    // The notebook renderer: an ES module that VS Code imports into the notebook's webview.
    renderer: {
      ...common,
      entryPoints: ['webview/notebook/renderer.ts'],
      outfile: 'dist/renderer.js',
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
    },
    cli: {
      ...common,
      entryPoints: ['node/cli.ts'],
      outfile: 'dist/cli.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      banner: { js: '#!/usr/bin/env node' },
    },
  };
}

// ESLint (flat config): typescript-eslint's recommended rules, and the import
// boundaries between the project's folders, checked on resolved paths.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));
const nodeBuiltin = /^node:/;

/**
 * What each folder may import: the places a relative import may reach (a folder,
 * or one module named without its extension), and which packages (by name) it
 * may use. The engine (core/) runs in a Node worker and in a browser Web Worker,
 * so it imports nothing outside itself but fflate (plain JavaScript, no Node
 * built-ins: it unzips .npz files).
 */
const boundaries = {
  core: { reach: ['core'], packages: [/^fflate$/] },
  // The panel sees the engine through core/view/ only (the state and results it
  // draws, the helpers it calls), and speaks to the host in the message contract
  // the host and worker share: protocol.ts types every message, channel.ts carries
  // them. Those two are the wire, not engine internals, so the panel takes them as is.
  webview: {
    reach: ['webview', 'core/view', 'core/protocol', 'core/channel'],
    packages: [/^chart\.js$/, /^chartjs-/, /^dompurify$/, /^markdown-it$/],
  },
  // ce-lab:… are the build's virtual modules (scripts/buildConfig.mjs).
  extension: { reach: ['extension', 'core', 'node'], packages: [/^vscode$/, /^jsonc-parser\//, /^ce-lab:/, nodeBuiltin] },
  node: { reach: ['node', 'core'], packages: [nodeBuiltin] },
};

/** Layers inside a folder: files under `from` may not reach `to`. */
const layers = [{ from: 'core/compute', to: 'core/nn', why: 'the kernels sit below the networks and losses built on them' }];

/** Whether a root-relative path (with / separators, no extension) is the place, or inside it. */
const within = (target, place) => target === place || target.startsWith(`${place}/`);

const importBoundaries = {
  meta: { type: 'problem', schema: [], messages: { outside: '{{folder}}/ may not import {{what}} ({{why}}).' } },
  create(context) {
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const folder = file.split('/')[0];
    const rule = boundaries[folder];
    if (!rule) return {};
    const fileLayers = layers.filter((layer) => within(file, layer.from));
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.')) {
        const target = path
          .relative(root, path.resolve(path.dirname(context.filename), spec))
          .split(path.sep)
          .join('/')
          .replace(/\.[cm]?[jt]s$/, '');
        const report = (why) => context.report({ node: source, messageId: 'outside', data: { folder, what: spec, why } });
        if (!rule.reach.some((place) => within(target, place))) report(`it may reach ${rule.reach.join(', ')} only`);
        for (const layer of fileLayers) if (within(target, layer.to)) report(`${layer.from} may not reach ${layer.to}: ${layer.why}`);
      } else if (!rule.packages.some((p) => p.test(spec))) {
        context.report({ node: source, messageId: 'outside', data: { folder, what: `the package "${spec}"`, why: 'not one it is allowed' } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export default tseslint.config(
  // wasm/ is AssemblyScript (decorators on functions, v128 types): its own compiler checks it.
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-artifacts/', '.cache/', '**/*.js', 'wasm/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    plugins: { 'ce-lab': { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'ce-lab/import-boundaries': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSAsExpression > TSTypeReference.typeAnnotation[typeName.name="any"]', message: 'No casts to any.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Functions that Playwright runs inside the page.
  { files: ['scripts/bench-panel.mjs'], languageOptions: { globals: globals.browser } },
);

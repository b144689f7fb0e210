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
 * What each folder may import: the top-level folders a relative import may
 * reach, and which packages (by name) it may use. The engine (core/) runs in a
 * Node worker and in a browser Web Worker, so it imports nothing outside itself
 * but fflate (plain JavaScript, no Node built-ins: it unzips .npz files).
 */
const boundaries = {
  core: { folders: ['core'], packages: [/^fflate$/] },
  webview: { folders: ['webview', 'core'], packages: [/^chart\.js$/, /^chartjs-/, /^dompurify$/, /^markdown-it$/] },
  // ce-lab:… are the build's virtual modules (scripts/buildConfig.mjs).
  extension: { folders: ['extension', 'core', 'node'], packages: [/^vscode$/, /^jsonc-parser\//, /^ce-lab:/, nodeBuiltin] },
  node: { folders: ['node', 'core'], packages: [nodeBuiltin] },
};

const importBoundaries = {
  meta: { type: 'problem', schema: [], messages: { outside: '{{folder}}/ may not import {{what}} ({{why}}).' } },
  create(context) {
    const file = path.relative(root, context.filename);
    const folder = file.split(path.sep)[0];
    const rule = boundaries[folder];
    if (!rule) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep)[0];
        if (!rule.folders.includes(target)) {
          context.report({ node: source, messageId: 'outside', data: { folder, what: spec, why: `it may reach ${rule.folders.join('/, ')}/ only` } });
        }
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

// The engine must run unchanged in a Node worker and in a browser Web Worker:
// it uses no Node or DOM globals (its imports are checked by ESLint's import
// boundaries, eslint.config.mjs), and a browser bundle of it evaluates a
// scenario in a bare JavaScript context that has only web-worker globals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const core = path.resolve(__dirname, '../../core');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));

describe('core/ portability', () => {
  it.each(files(core).map((f) => path.relative(core, f)))('%s uses no Node or DOM globals', (file) => {
    const source = readFileSync(path.join(core, file), 'utf8');
    expect(source).not.toMatch(/\b(document|window|process|require)\b[.(]/);
  });

  it('a browser bundle evaluates the sorix example in a context with only web-worker globals', async () => {
    const bundle = await build({
      stdin: {
        contents: `import { evaluateScenario } from './evaluate'; import { applyEvent, emptyRunState } from './runState';
          globalThis.run = async (text) => { const s = emptyRunState(); for await (const e of evaluateScenario(text, {})) applyEvent(s, e); return s; };`,
        resolveDir: core,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const context = vm.createContext({ setTimeout, clearTimeout, TextDecoder, AbortController, console });
    vm.runInContext(bundle.outputFiles[0].text, context);
    const text = readFileSync(path.resolve(__dirname, '../../examples/sorix.ce.json'), 'utf8');
    const state = await (context as unknown as { run: (t: string) => Promise<{ cells: { result: { ok: boolean; loss?: number } }[] }> }).run(text);
    // PyTorch float32: 0.2159433513879776 (golden case doc_sorix_example).
    expect(Math.abs((state.cells[1].result.loss ?? NaN) - 0.2159433513879776)).toBeLessThan(1e-7);
    expect(state.cells.every((c) => c.result.ok)).toBe(true);
  });
});

// The ce-lab CLI as a process: exit codes, strict JSON, one-line errors, npy files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toCliDocument } from '../../core/cliDocument';
import { isResultTensor } from '../../core/jsonText';
import { toNested } from '../../core/tensor';
import { jsonPrintable } from '../../node/terminalText';
import { bundleForNode } from '../helpers/nodeBundle';
import { npyBytes } from '../helpers/npyWriter';
import { runState } from '../helpers/run';

const work = mkdtempSync(path.join(tmpdir(), 'ce-lab-cli-'));
const cli = path.join(work, 'cli.js');
const examples = path.resolve(__dirname, '../../examples');
// PyTorch's float32 loss for the sorix example (golden case doc_sorix_example).
const SORIX_LOSS_F32 = 0.2159433513879776;

beforeAll(async () => {
  await bundleForNode(path.resolve(__dirname, '../../node/cli.ts'), cli);
});

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, content: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('ce-lab run', () => {
  it('prints strict JSON with the sorix numbers and exits 0', () => {
    const { code, stdout } = run('run', path.join(examples, 'sorix.ce.json'), '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    const loss = doc.cells.find((c: { id: string }) => c.id === 'two-samples');
    expect(Math.abs(loss.loss - SORIX_LOSS_F32)).toBeLessThan(1e-7);
    expect(doc.cells.find((c: { id: string }) => c.id === 'linear-sgd').losses).toHaveLength(51);
  });

  it('writes non-finite numbers as strings', () => {
    const file = scenarioFile('inf.ce.json', {
      cells: [
        { type: 'loss', logits: [[1, '-inf', 2]], target: [1] },
        { type: 'loss', logits: [[1, 'nan', 2]], target: [0] },
      ],
    });
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(0);
    expect(stdout).toContain('"loss":"Infinity"');
    expect(stdout).toContain('"loss":"NaN"');
    expect(() => JSON.parse(stdout)).not.toThrow();
  });

  it('--json streams a big document (many pieces) byte for byte as JSON.stringify of the nested results writes it', async () => {
    const doc = {
      title: 'big \u0085 \u202e',
      dtype: 'float64',
      cells: [
        {
          type: 'loss',
          id: 'big',
          logits: { random: { shape: [40, 3000], dist: 'normal', std: 3 } },
          target: { random: { shape: [40], classes: 3000 } },
        },
        {
          type: 'loss',
          id: 'nan',
          logits: [
            [1, 'nan', 2],
            [1, '-inf', 'inf'],
          ],
          target: [1, 0],
          reduction: 'none',
        },
        { type: 'sweep', of: 'big', param: 'temperature', from: 0.5, to: 2, steps: 5 },
        { type: 'markdown', text: 'é \u0000 done' },
      ],
    };
    const file = scenarioFile('big.ce.json', doc);
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(0);
    // The oracle: the engine in this process, its tensors turned into nested arrays, then one JSON.stringify.
    const state = await runState(JSON.stringify(doc), { defaultTitle: 'big.ce.json' });
    const nested = (v: unknown) => (isResultTensor(v) ? toNested(v) : v);
    const strict = (_k: string, v: unknown) => {
      const value = nested(v);
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    };
    const expected = jsonPrintable(JSON.stringify(toCliDocument(state), strict)) + '\n';
    expect(stdout.length).toBeGreaterThan(2_000_000);
    expect(stdout === expected).toBe(true);
  });

  it('exits 1 when a cell fails, with the error and its path in the document', () => {
    const file = scenarioFile('bad.ce.json', { cells: [{ type: 'loss', logits: [[1, 2, 3]], target: [3] }] });
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).cells[0]).toMatchObject({ ok: false, error: { path: ['cells', 0, 'target', 0] } });
  });

  it.each([
    ['a missing file', ['run', '/nonexistent/x.ce.json'], 'no such file'],
    ['invalid JSON', ['run', 'BROKEN'], 'Not valid JSON'],
    ['a non-scenario', ['run', 'NOTSCENARIO'], 'Not a scenario'],
    ['an unknown cell id', ['run', 'SORIX', '--cell', 'nope'], 'No cell with id "nope"'],
    ['no command', [], 'usage: ce-lab run'],
  ])('exits 2 with a one-line reason for %s', (_name, args, message) => {
    const files: Record<string, string> = {
      BROKEN: scenarioFile('broken.ce.json', '{"cells": ['),
      NOTSCENARIO: scenarioFile('array.ce.json', '[1, 2, 3]'),
      SORIX: path.join(examples, 'sorix.ce.json'),
    };
    const { code, stdout, stderr } = run(...args.map((a) => files[a] ?? a));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('--cell runs only that cell', () => {
    const { code, stdout } = run('run', path.join(examples, 'sorix.ce.json'), '--json', '--cell', 'two-samples');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).cells.map((c: { id: string }) => c.id)).toEqual(['two-samples']);
  });

  it('prints a readable summary without --json', () => {
    const { code, stdout } = run('run', path.join(examples, 'sorix.ce.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('loss = 0.215943');
    expect(stdout).toMatch(/step 50\s+loss 0\.0726/);
  });
});

describe('calibration in the CLI', () => {
  it('--json holds the calibration object, and the summary prints its figures and the fitted temperature', () => {
    const logits = Array.from({ length: 40 }, (_, i) => [Math.sin(i) * 3, Math.cos(i) * 2, (i % 5) - 2]);
    // The top class three rows in four: an over-confident classifier, with a fitted T inside the searched range.
    const target = logits.map((row, i) => (i % 4 ? row.indexOf(Math.max(...row)) : i % 3));
    const file = scenarioFile('calibrated.ce.json', {
      dtype: 'float64',
      cells: [{ type: 'loss', id: 'c', logits, target, calibration: { bins: 10 } }],
    });
    const json = run('run', file, '--json');
    expect(json.code).toBe(0);
    const cal = JSON.parse(json.stdout).cells[0].calibration;
    expect(Object.keys(cal)).toEqual(['bins', 'ece', 'mce', 'brier', 'nll', 'accuracy', 'reliability', 'rows', 'temperature']);
    expect(cal.reliability).toHaveLength(10);
    const { stdout } = run('run', file);
    expect(stdout).toContain(`calibration (10 bins, 40 rows): ECE ${cal.ece.toFixed(6)}   MCE ${cal.mce.toFixed(6)}`);
    expect(stdout).toContain(`fitted temperature ${cal.temperature.fitted.toFixed(6)}: NLL ${cal.temperature.nll.toFixed(6)}`);
  });

  it('says why an automatic calibration is not shown', () => {
    const logits = Array.from({ length: 1000 }, (_, i) => [i % 3, 0]);
    const file = scenarioFile('soft.ce.json', { cells: [{ type: 'loss', logits, target: logits.map(() => [0.5, 0.5]) }] });
    expect(run('run', file).stdout).toContain('calibration: not shown. Calibration needs class labels');
  });
});

describe('{"npy": ...} tensors', () => {
  const project = path.join(work, 'project');
  mkdirSync(path.join(project, 'data'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), '{}');
  writeFileSync(path.join(project, 'data', 'logits.npy'), npyBytes('<f4', [2, 3], [2.0, 1.0, 0.1, 0.0, 5.0, 0.2]));
  writeFileSync(path.join(project, 'data', 'target.npy'), npyBytes('<i8', [2], [0, 1]));
  writeFileSync(path.join(work, 'secret.npy'), npyBytes('<f8', [1, 3], [1, 2, 3]));

  it('reads float32 logits and int64 targets next to the scenario', () => {
    const file = path.join(project, 'npy.ce.json');
    writeFileSync(
      file,
      JSON.stringify({ dtype: 'float32', cells: [{ type: 'loss', logits: { npy: 'data/logits.npy' }, target: { npy: 'data/target.npy' } }] }),
    );
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(0);
    expect(Math.abs(JSON.parse(stdout).cells[0].loss - SORIX_LOSS_F32)).toBeLessThan(1e-7);
  });

  it('refuses a file outside the workspace folder, pointing at the npy value', () => {
    const file = path.join(project, 'escape.ce.json');
    writeFileSync(file, JSON.stringify({ cells: [{ type: 'loss', logits: { npy: '../secret.npy' }, target: [0] }] }));
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(1);
    const cell = JSON.parse(stdout).cells[0];
    expect(cell.error.path).toEqual(['cells', 0, 'logits', 'npy']);
    expect(cell.error.message).toContain('outside the workspace folder');
  });

  it('keeps .npz and .safetensors files inside the workspace folder too', () => {
    const file = path.join(project, 'escape-model.ce.json');
    const cells = [
      { type: 'loss', logits: { npz: '../secret.npz', key: 'logits' }, target: [0] },
      { type: 'loss', logits: { safetensors: '../secret.safetensors', key: 'logits' }, target: [0] },
    ];
    writeFileSync(file, JSON.stringify({ cells }));
    for (const secret of ['secret.npz', 'secret.safetensors']) writeFileSync(path.join(work, secret), 'not for the scenario');
    const { code, stdout } = run('run', file, '--json');
    expect(code).toBe(1);
    const [npz, safetensors] = JSON.parse(stdout).cells;
    expect(npz.error.path).toEqual(['cells', 0, 'logits', 'npz']);
    expect(safetensors.error.path).toEqual(['cells', 1, 'logits', 'safetensors']);
    for (const cell of [npz, safetensors]) expect(cell.error.message).toContain('outside the workspace folder');
  });
});

describe('ce-lab torch', () => {
  it("prints one script for every cell, with the cell's tensors and options (exit 0)", () => {
    const { code, stdout } = run('torch', path.join(examples, 'class-weights-ignore.ce.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('import torch.nn.functional as F');
    expect(stdout).toContain('weight = torch.tensor([1.0, 2.0, 0.5], dtype=dtype)');
    expect(stdout.match(/^# loss cell /gm)?.length).toBe(2);
  });

  it('--cell writes one cell; random values too big for a literal go to a .npy next to the scenario', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    const file = path.join(dir, 'rand.ce.json');
    writeFileSync(
      file,
      JSON.stringify({
        cells: [
          { type: 'loss', id: 'a', logits: [1, 2], target: 0 },
          { type: 'loss', id: 'big', logits: { random: { shape: [20, 5] } }, target: { random: { shape: [20], classes: 5 } } },
        ],
      }),
    );
    const { code, stdout, stderr } = run('torch', file, '--cell', 'big');
    expect(code).toBe(0);
    expect(stdout).not.toContain('# loss cell "a"');
    expect(stdout).toContain(`HERE = ${JSON.stringify(dir)}`);
    expect(stdout).toContain('np.load(os.path.join(HERE, "rand.big.logits.npy"))');
    expect(stderr).toContain('rand.big.logits.npy');
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n')).toContain('rand.big.logits.npy');
  });

  it('exits 2 for an unknown cell and 1 for a cell it cannot write', () => {
    expect(run('torch', path.join(examples, 'sorix.ce.json'), '--cell', 'nope').code).toBe(2);
    const bad = run('torch', scenarioFile('bad-torch.ce.json', { cells: [{ type: 'loss', id: 'x', target: [0] }] }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Missing "logits"');
  });
});

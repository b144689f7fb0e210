// "Copy as PyTorch": every example's script, and scripts of many random cells,
// run with a real PyTorch, must print the engine's numbers (same tolerances).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { torchScript } from '../../core/pytorch/torchScript';
import { makeNpyLoader } from '../../node/npyFiles';
import { FLOAT64, TRAJECTORY } from '../helpers/golden';
import { cliCells, type CliCell } from '../helpers/run';
import { calibrationCase, compareFigures } from './calibrationCases';
import { compareNested, lossTolerance } from './disagreement';
import { lossCaseArb } from './lossCases';
import { trainCaseArb } from './trainCases';
import { describeWithTorch, PYTHON } from './oracle';

type Line = Record<string, unknown> & { id: string };

/** Writes the script and its generated files next to the scenario, runs it, returns its JSON lines. */
async function runScript(dir: string, file: string): Promise<{ lines: Line[]; script: string }> {
  const loadFile = makeNpyLoader(dir, dir);
  const { script, files, problems } = await torchScript(readFileSync(path.join(dir, file), 'utf8'), {
    loadFile,
    scenarioDir: dir,
    fileStem: file.replace(/\.ce\.json$/, ''),
  });
  expect(problems).toEqual([]);
  for (const side of files) writeFileSync(path.join(dir, side.name), side.bytes);
  const run = spawnSync(PYTHON, ['-'], { input: script, encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(run.status, `${run.stderr}\n${script}`).toBe(0);
  return {
    lines: run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line),
    script,
  };
}

/** Each cell's numbers from the script against the engine's; a list of disagreements. */
async function compareWithEngine(dir: string, file: string): Promise<string[]> {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const dtype = (JSON.parse(text) as { dtype?: string }).dtype === 'float64' ? 'float64' : 'float32';
  const tol = lossTolerance(dtype);
  const engine = await cliCells(text, { loadNpy: makeNpyLoader(dir, dir) });
  const { lines } = await runScript(dir, file);
  const problems: string[] = [];
  const ran = engine.filter((c) => c.type !== 'markdown');
  expect(lines.map((l) => l.id)).toEqual(ran.map((c) => c.id));
  for (const [i, cell] of ran.entries()) {
    const line = lines[i];
    const label = `${file} cell ${cell.id}`;
    if (!cell.ok) {
      // The engine refuses the cell: the script must print PyTorch's refusal and go on.
      if (typeof line.error !== 'string')
        problems.push(`${label}: the engine refuses it (${cell.error.message}) but PyTorch printed ${JSON.stringify(line)}`);
      continue;
    }
    let problem: string | null = null;
    if (cell.type === 'loss')
      problem =
        compareNested(`${label} loss`, cell.loss, line.loss, tol) ??
        compareNested(`${label} grad`, cell.grad, line.grad, tol) ??
        calibrationDisagreement(label, cell.calibration, line.calibration);
    if (cell.type === 'sweep') {
      const points = line.points as [number, unknown, number?][];
      const column = (i: number) => points.map((p) => p[i]);
      problem =
        compareNested(`${label} values`, cell.values, column(0), tol) ??
        compareNested(`${label} losses`, cell.loss, column(1), tol) ??
        // A float32 margin sweep adds to float32 logits in PyTorch, to the values as written in the engine (then rounded).
        (cell.ece || points[0]?.length > 2 ? compareNested(`${label} ECE`, cell.ece, column(2), tol) : null);
    }
    if (cell.type === 'train') problem = compareNested(`${label} losses`, cell.losses, line.losses, dtype === 'float64' ? tol : TRAJECTORY);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The script's calibration (its own PyTorch code) against the engine's: figures to 1e-10, the fitted T to 1e-6. */
function calibrationDisagreement(label: string, engine: CliCell['calibration'], script: unknown): string | null {
  if (!engine || !script) return engine || script ? `${label}: calibration only in ${engine ? 'the engine' : 'the script'}` : null;
  const torch = script as typeof engine;
  const atCell = compareFigures(`${label} calibration`, engine, torch);
  if (atCell) return atCell;
  if (Math.abs(engine.temperature.fitted / torch.temperature.fitted - 1) > 1e-6 && engine.accuracy < 1)
    return `${label}: fitted T ${engine.temperature.fitted}, the script's ${torch.temperature.fitted}`;
  return compareNested(`${label} NLL at the fitted T`, engine.temperature.nll, torch.temperature.nll, FLOAT64);
}

const examples = path.resolve('examples');

describeWithTorch('Copy as PyTorch, run by PyTorch', () => {
  it.each(readdirSync(examples).filter((f) => f.endsWith('.ce.json')))("%s prints the engine's numbers", async (file) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    cpSync(examples, dir, { recursive: true });
    expect(await compareWithEngine(dir, file)).toEqual([]);
  });

  it.each(['float32', 'float64'])('random loss cells and every sweep of them (%s)', async (dtype) => {
    // Cells PyTorch accepts (the differential suite covers refusals), in one script.
    const cases = fc.sample(
      lossCaseArb.filter((c) => c.fault === null && c.dtype === dtype),
      { numRuns: 150, seed: 7 },
    );
    const cells = cases.flatMap((c, i) => {
      const id = `case-${i}`;
      const sweeps = [
        { type: 'sweep', id: `${id}-smoothing`, of: id, param: 'label_smoothing', from: 0, to: 1, steps: 3 },
        { type: 'sweep', id: `${id}-temperature`, of: id, param: 'temperature', from: 0.5, to: 2, steps: 3 },
        { type: 'sweep', id: `${id}-margin`, of: id, param: 'margin', from: -1, to: 1, steps: 3 },
      ];
      const probs = JSON.stringify(shape(c.cell.logits)) === JSON.stringify(shape(c.cell.target));
      return [{ ...c.cell, id }, ...sweeps.filter((s) => !probs || s.param !== 'margin')];
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    writeFileSync(path.join(dir, 'random.ce.json'), JSON.stringify({ version: 1, dtype, seed: 3, cells }));
    expect(await compareWithEngine(dir, 'random.ce.json')).toEqual([]);
  });

  it('random cells with calibration, and sweeps with the ECE: the script computes the same figures', async () => {
    const cases = fc.sample(calibrationCase, { numRuns: 40, seed: 11 });
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    for (const dtype of ['float32', 'float64']) {
      // Each with a temperature sweep and a margin sweep that report the ECE at each point.
      const cells = cases.flatMap((c, i) => [
        { ...c.cell, id: `case-${i}` },
        { type: 'sweep', id: `case-${i}-temperature`, of: `case-${i}`, param: 'temperature', from: 0.5, to: 2, steps: 3, ece: true },
        { type: 'sweep', id: `case-${i}-margin`, of: `case-${i}`, param: 'margin', from: -1, to: 1, steps: 3, ece: true },
      ]);
      writeFileSync(path.join(dir, `calibration-${dtype}.ce.json`), JSON.stringify({ version: 1, dtype, cells }));
      expect(await compareWithEngine(dir, `calibration-${dtype}.ce.json`)).toEqual([]);
    }
  });

  it('loads F16, BF16 and I32 tensors of a .safetensors file as the engine does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    // Bit patterns: F16 1, −2, 0.5, 1/3 (rounded), 65504, 2⁻²⁴; BF16 1, 3.140625, −1.5, 0, 2, 0.25.
    const words = [0x3c00, 0xc000, 0x3800, 0x3555, 0x7bff, 0x0001, 0x3f80, 0x4049, 0xbfc0, 0x0000, 0x4000, 0x3e80];
    const header = JSON.stringify({
      half: { dtype: 'F16', shape: [2, 3], data_offsets: [0, 12] },
      brain: { dtype: 'BF16', shape: [2, 3], data_offsets: [12, 24] },
      labels: { dtype: 'I32', shape: [2], data_offsets: [24, 32] },
    });
    const bytes = new Uint8Array(8 + header.length + 32);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    words.forEach((w, i) => view.setUint16(8 + header.length + 2 * i, w, true));
    view.setInt32(8 + header.length + 24, 2, true);
    view.setInt32(8 + header.length + 28, 0, true);
    writeFileSync(path.join(dir, 'w.safetensors'), bytes);
    const labels = { safetensors: 'w.safetensors', key: 'labels' };
    const cells = ['half', 'brain'].map((key) => ({ type: 'loss', id: key, logits: { safetensors: 'w.safetensors', key }, target: labels }));
    for (const dtype of ['float32', 'float64']) {
      writeFileSync(path.join(dir, `w-${dtype}.ce.json`), JSON.stringify({ version: 1, dtype, cells }));
      expect(await compareWithEngine(dir, `w-${dtype}.ce.json`)).toEqual([]);
    }
  });

  it("prints PyTorch's refusal for cells the engine refuses, and goes on with the next", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    const cells = [
      { type: 'loss', id: 'out-of-range', logits: [[1, 2, 3]], target: [3] },
      { type: 'sweep', id: 'sweep-of-it', of: 'out-of-range', param: 'label_smoothing', from: 0, to: 1, steps: 3 },
      { type: 'loss', id: 'smoothing-too-big', logits: [[1, 2, 3]], target: [0], label_smoothing: 1.5 },
      { type: 'loss', id: 'fine', logits: [[1, 2, 3]], target: [2] },
    ];
    writeFileSync(path.join(dir, 'refused.ce.json'), JSON.stringify({ version: 1, cells }));
    expect(await compareWithEngine(dir, 'refused.ce.json')).toEqual([]);
  });

  it.each(['float32', 'float64'])('random train cells, shuffled batches, datasets and given weights (%s)', async (dtype) => {
    const cases = fc.sample(trainCaseArb, { numRuns: 30, seed: 11 });
    const cells: object[] = cases.map((c, i) => ({
      ...c.cell,
      id: `train-${i}`,
      ...(i % 2 === 0 && 'batch_size' in c.cell ? { shuffle: true } : {}),
    }));
    cells.push(
      {
        type: 'train',
        id: 'spiral',
        model: { layers: [2, 5, 3], activation: 'gelu' },
        data: { dataset: 'spiral', n: 60 },
        optimizer: { type: 'adamw', lr: 0.01 },
        steps: 30,
        batch_size: 16,
        shuffle: true,
      },
      {
        type: 'train',
        id: 'random-x',
        model: { layers: [6, 3] },
        data: { x: { random: { shape: [20, 6] } }, target: { random: { shape: [20], classes: 3 } } },
        optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
        steps: 10,
      },
      {
        type: 'train',
        id: 'given',
        model: {
          layers: [2, 2],
          init: {
            params: [
              {
                weight: [
                  [0.5, -0.25],
                  [0.125, 1],
                ],
                bias: [0, 0.1],
              },
            ],
          },
        },
        data: {
          x: [
            [1, 2],
            [3, -1],
          ],
          target: [1, 0],
        },
        optimizer: { type: 'adam', lr: 0.1, betas: [0.8, 0.99] },
        loss: { label_smoothing: 0.2, weight: [1, 3] },
        steps: 8,
      },
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-'));
    writeFileSync(path.join(dir, 'train.ce.json'), JSON.stringify({ version: 1, dtype, seed: 5, cells }));
    expect(await compareWithEngine(dir, 'train.ce.json')).toEqual([]);
  });
});

describeWithTorch('ce-lab torch FILE | python3, as a user runs it', () => {
  it.each(['moons-mlp-adam.ce.json', 'model-files.ce.json'])('%s: the processes agree with ce-lab run --json', async (file) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-torch-cli-'));
    cpSync(examples, dir, { recursive: true });
    const cli = path.join(dir, 'cli.js');
    await build({ entryPoints: [path.resolve('node/cli.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    const scenario = path.join(dir, file);
    const script = spawnSync(process.execPath, [cli, 'torch', scenario], { encoding: 'utf8', cwd: tmpdir() });
    expect(script.status, script.stderr).toBe(0);
    // Run from another folder: the script finds its files through HERE.
    const torch = spawnSync(PYTHON, ['-'], { input: script.stdout, encoding: 'utf8', cwd: tmpdir(), maxBuffer: 1 << 28 });
    expect(torch.status, torch.stderr).toBe(0);
    const lines = torch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const engine = JSON.parse(spawnSync(process.execPath, [cli, 'run', scenario, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout) as {
      dtype: string;
      cells: CliCell[];
    };
    const ran = engine.cells.filter((c) => c.type !== 'markdown');
    expect(lines.map((l) => l.id)).toEqual(ran.map((c) => c.id));
    const tol = lossTolerance(engine.dtype === 'float64' ? 'float64' : 'float32');
    for (const [i, cell] of ran.entries()) {
      const line = lines[i];
      const problem =
        cell.type === 'loss'
          ? (compareNested('loss', cell.loss, line.loss, tol) ?? compareNested('grad', cell.grad, line.grad, tol))
          : cell.type === 'sweep'
            ? compareNested(
                'sweep',
                cell.loss,
                (line.points as [number, unknown][]).map((p) => p[1]),
                tol,
              )
            : compareNested('losses', cell.losses, line.losses, engine.dtype === 'float64' ? tol : TRAJECTORY);
      expect(problem, `${file} cell ${cell.id}`).toBeNull();
    }
  });
});

const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0])] : []);

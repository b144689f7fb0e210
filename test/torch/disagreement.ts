// Runs one generated case through the engine (as a scenario, the way a user's
// file goes) and through PyTorch, and says how they disagree, if they do.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { FLOAT32, FLOAT64, TRAJECTORY, flat, type Tolerance } from '../helpers/golden';
import { cliCells, type CliCell } from '../helpers/run';
import type { Nested } from '../../core/results';
import type { Oracle } from './oracle';
import { bytesAsRangeFile } from '../../core/files/rangeFile';
import { npyBytes } from '../../core/npyWrite';

export interface Case {
  dtype: 'float32' | 'float64';
  cell: Record<string, unknown>;
}

export const scenarioOf = (c: Case) => ({ version: 1, title: 'A disagreement with PyTorch', dtype: c.dtype, cells: [c.cell] });

const decode = (v: unknown): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number));
const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

/**
 * Element-wise closeness (NaN matches NaN, infinities match exactly); a message or null. With `exact` (PyTorch's
 * float64 answer on the same float32 inputs), an element outside the tolerance still agrees when it is at least as
 * close to the exact value as PyTorch's own float32 one: PyTorch's rounding error, amplified by a cancellation
 * (1 − p for p near 1 in a gradient, taken as exp(log p) where log p carries the rounding of log Σ), is not the
 * engine's to copy. With `noise` too (per element, what float32 rounding of each term may do to a sum: see
 * FLOAT32_TERM_NOISE), it also agrees within that of the exact value: a loss summing terms of ±200,000 to 50,000
 * is only as exact as its terms, whichever side happens to land closer.
 */
export function compareNested(label: string, actual: unknown, expected: unknown, tol: Tolerance, exact?: unknown, noise?: unknown): string | null {
  if (JSON.stringify(shapeOf(actual)) !== JSON.stringify(shapeOf(expected))) {
    return `${label}: shape ${JSON.stringify(shapeOf(actual))}, PyTorch ${JSON.stringify(shapeOf(expected))}`;
  }
  const a = flat(actual as Nested).map(decode);
  const e = flat(expected as Nested).map(decode);
  const x = exact === undefined ? null : flat(exact as Nested).map(decode);
  const n = noise === undefined ? null : flat(noise as Nested).map(decode);
  for (let i = 0; i < e.length; i++) {
    const ok = (Number.isNaN(e[i]) && Number.isNaN(a[i])) || a[i] === e[i] || Math.abs(a[i] - e[i]) <= Math.max(tol.abs, tol.rel * Math.abs(e[i]));
    const asClose = x !== null && Math.abs(a[i] - x[i]) <= Math.abs(e[i] - x[i]);
    const withinNoise = x !== null && n !== null && Math.abs(a[i] - x[i]) <= n[i];
    if (!ok && !asClose && !withinNoise) {
      const exactly = x === null ? '' : `, exactly (float64) ${x[i]}`;
      const noisy = n === null ? '' : `, float32 noise allowed ${n[i]}`;
      return `${label}[${i}]: engine ${a[i]}, PyTorch ${e[i]}${exactly}${noisy} (tolerance rel ${tol.rel}, abs ${tol.abs})`;
    }
  }
  return null;
}

/**
 * What rounding each float32 term can do to a sum of them, per unit of the terms' magnitudes: log p carries two
 * roundings, and its products with y' and w one each, 2^-24 (half an ulp) apiece.
 */
const FLOAT32_TERM_NOISE = 4 * 2 ** -24;

/** Every number in `v` (a nested array, or one number) rounded to float32. */
const float32Rounded = (v: unknown): unknown => (Array.isArray(v) ? v.map(float32Rounded) : typeof v === 'number' ? Math.fround(v) : v);

/** `record` with the values at `keys` rounded to float32. */
const roundedAt = (record: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, keys.includes(key) ? float32Rounded(value) : value]));

/** How far from the float64 trajectory a float32 one may be, in units of PyTorch's float32 drift from it (trainDisagreement). */
const TRAJECTORY_DRIFT = 4;

/** The tensors of a float32 loss cell rounded to float32, as the engine and PyTorch both read them. */
const withFloat32Tensors = (cell: Record<string, unknown>) => roundedAt(cell, ['logits', 'target', 'weight', 'grad_output']);

/** The same for a train cell: its inputs and class weights. */
function withFloat32Data(cell: Record<string, unknown>): Record<string, unknown> {
  const loss = cell.loss as Record<string, unknown> | undefined;
  return { ...cell, data: roundedAt(cell.data as Record<string, unknown>, ['x']), ...(loss ? { loss: roundedAt(loss, ['weight']) } : {}) };
}

export const lossTolerance = (dtype: Case['dtype']) => (dtype === 'float64' ? FLOAT64 : FLOAT32);

/** The engine's cell for a one-cell scenario. */
export async function engineCell(c: Case): Promise<CliCell> {
  const [cell] = await cliCells(scenarioOf(c));
  return cell;
}

/**
 * The engine's cell with its logits in a .npy file (float64, as written) streamed block by block: maxElements 0.5
 * makes every logits file stream. The result has no gradient (a streamed cell keeps none).
 */
export async function streamedEngineCell(c: Case): Promise<CliCell> {
  const logits = c.cell.logits as Nested;
  const scenarioFloat = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));
  const bytes = npyBytes('<f8', shapeOf(logits), flat(logits).map(scenarioFloat));
  const options = {
    limits: { maxElements: 0.5 },
    loadNpy: async () => bytes,
    openFile: async (name: string) => bytesAsRangeFile(name, bytes),
  };
  const [cell] = await cliCells(scenarioOf({ ...c, cell: { ...c.cell, logits: { npy: 'logits.npy' } } }), options);
  if (cell.ok && !cell.streamed) throw new Error('the cell was not streamed');
  return cell;
}

/** Both sides of a loss case; null when they agree. `streamed`: the engine reads the logits from a file, block by block (loss only). */
export async function lossDisagreement(oracle: Oracle, c: Case, faultField: string | null, streamed = false): Promise<string | null> {
  const [torch, engine] = await Promise.all([
    oracle.ask({ kind: 'loss', dtype: c.dtype, cell: c.cell }),
    streamed ? streamedEngineCell(c) : engineCell(c),
  ]);
  if (torch.error !== undefined) {
    if (engine.ok) return `PyTorch refuses it (${torch.error}) but the engine gives loss ${JSON.stringify(engine.loss)}`;
    if (faultField && !engine.error.path.includes(faultField)) {
      return `the engine's error points at ${JSON.stringify(engine.error.path)}, not at "${faultField}" (engine: ${engine.error.message}; PyTorch: ${torch.error})`;
    }
    return null;
  }
  if (!engine.ok) return `PyTorch computes it but the engine refuses: ${engine.error.message} at ${JSON.stringify(engine.error.path)}`;
  const tol = lossTolerance(c.dtype);
  const against = (exact?: Record<string, unknown>) => {
    const noise = exact?.magnitude === undefined ? undefined : flat(exact.magnitude as Nested).map((m) => FLOAT32_TERM_NOISE * decode(m));
    return (
      compareNested('loss', engine.loss, torch.loss, tol, exact?.loss, noise) ??
      (streamed ? null : compareNested('grad', engine.grad, torch.grad, tol, exact?.grad))
    );
  };
  const problem = against();
  if (problem === null || c.dtype === 'float64') return problem;
  const exact = await oracle.ask({ kind: 'loss', dtype: 'float64', cell: withFloat32Tensors(c.cell), magnitude: true });
  return exact.error === undefined ? against(exact) : problem;
}

/** Writes the shrunk case where a person can run it, and returns the text printed with the failure. */
function reportScenario(name: string, c: Case, problem: string): string {
  const text = `${JSON.stringify(scenarioOf(c), null, 2)}\n`;
  mkdirSync('test-artifacts', { recursive: true });
  const file = `test-artifacts/${name}.ce.json`;
  writeFileSync(file, text);
  // A large cell's text would drown the report: it is only in the file then.
  if (text.length > 20_000) return `${problem}\nThe case, as a scenario, is in ${file} (${Math.round(text.length / 1024)} KB).`;
  return `${problem}\nThe case, as a scenario (also in ${file}):\n${text}`;
}

/**
 * Runs `numRuns` generated cases (seeded by CE_LAB_TORCH_SEED when set) through `disagreement`; on the first one
 * that disagrees, fails with that case (shrunk by fast-check when `shrink`), also written as a scenario to
 * test-artifacts/`name`.ce.json.
 */
export async function expectAgreement<C extends Case>(
  oracle: Oracle,
  name: string,
  cases: fc.Arbitrary<C>,
  numRuns: number,
  disagreement: (c: C) => Promise<string | null>,
  shrink = true,
): Promise<void> {
  const result = await fc.check(
    fc.asyncProperty(cases, async (c) => {
      const problem = await disagreement(c);
      if (problem) throw new Error(problem);
    }),
    { numRuns, endOnFailure: !shrink, seed: process.env.CE_LAB_TORCH_SEED ? Number(process.env.CE_LAB_TORCH_SEED) : undefined },
  );
  if (result.failed) {
    const [c] = result.counterexample ?? [];
    const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    expect.fail(`PyTorch ${oracle.version} and the engine disagree (seed ${result.seed}): ${c ? reportScenario(name, c, message) : message}`);
  }
}

/** Both sides of a train case's loss trajectory; null when they agree. */
export async function trainDisagreement(oracle: Oracle, c: Case): Promise<string | null> {
  const [torch, engine] = await Promise.all([oracle.ask({ kind: 'train', dtype: c.dtype, cell: c.cell }), engineCell(c)]);
  if (torch.error !== undefined) return `PyTorch refuses it: ${torch.error}`;
  if (!engine.ok) return `PyTorch trains it but the engine refuses: ${engine.error.message} at ${JSON.stringify(engine.error.path)}`;
  const problem = compareNested('losses', engine.losses, torch.losses, c.dtype === 'float64' ? FLOAT64 : TRAJECTORY);
  if (problem === null || c.dtype === 'float64') return problem;
  // A float32 trajectory can amplify its rounding step by step (a diverging momentum run: PyTorch's own float32
  // losses then leave its float64 ones by more than 1e-4). There the engine also agrees where it is within
  // TRAJECTORY_DRIFT times PyTorch's float32 drift of the float64 trajectory (same initial weights, the float32
  // inputs): both runs amplify rounding of the same size, in directions of their own.
  const exact = await oracle.ask({ kind: 'train', dtype: 'float64', cell: withFloat32Data(c.cell) });
  if (exact.error !== undefined) return problem;
  const drift = flat(torch.losses as Nested).map((e, i) => TRAJECTORY_DRIFT * Math.abs(decode(e) - decode(flat(exact.losses as Nested)[i])));
  return compareNested('losses', engine.losses, torch.losses, TRAJECTORY, exact.losses, drift);
}

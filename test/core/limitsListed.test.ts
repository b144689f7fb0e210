// A value over several limits names them all in one error, with what each must
// be raised to (issue 22: a 200 MB logits file took three rounds: file bytes,
// then elements per tensor, then elements per run). Raising exactly the listed
// settings lets the same scenario through; raising fewer does not.
import { describe, expect, it } from 'vitest';
import type { EvaluateOptions } from '../../core/evaluate';
import { bytesAsRangeFile } from '../../core/files/rangeFile';
import { settingOf, type LimitName, type Limits } from '../../core/limits';
import { npyBytes } from '../../core/npyWrite';
import type { LimitSetting } from '../../core/results';
import { cliCells } from '../helpers/run';
import { smallTrainCell } from '../helpers/smallTrainCell';

const scenario = (...cells: object[]) => ({ version: 1, dtype: 'float32', cells });
/** The limits a problem lists, as engine options: what "Raise these limits" writes. */
const raised = (limits: LimitSetting[]): Partial<Limits> =>
  Object.fromEntries(limits.map((l) => [l.setting.replace('ceLab.limits.', '') as LimitName, l.needed]));

async function firstCell(doc: object, options: EvaluateOptions = {}) {
  return (await cliCells(doc, options))[0];
}

describe('a value over several limits names every one at once', () => {
  it('a 30 × 30 random tensor under limits of 500 and 800: elements per tensor and per run, in one error; raising both lets it through', async () => {
    const doc = scenario({ type: 'loss', id: 'l', logits: { random: { shape: [30, 30] } }, target: { random: { shape: [30], classes: 30 } } });
    const limits = { maxElements: 500, maxTotalElements: 800 };
    const cell = await firstCell(doc, { limits });
    expect(cell.ok).toBe(false);
    expect(cell.error.path).toEqual(['cells', 0, 'logits', 'random', 'shape']);
    expect(cell.error.limits).toEqual([
      { setting: settingOf('maxElements'), needed: 900 },
      { setting: settingOf('maxTotalElements'), needed: 900 },
    ]);
    expect(cell.error.message).toMatch(/^Over 2 limits at once .*\(1\) .*maxElements.*\(2\) .*maxTotalElements/);
    // One of the two is not enough: the error then names the other alone.
    const half = await firstCell(doc, { limits: { ...limits, maxElements: 900 } });
    expect(half.error.limits).toEqual([{ setting: settingOf('maxTotalElements'), needed: 900 }]);
    // Both, to exactly the listed values: the logits pass; the target's 30 elements are the next value over the run's total.
    const both = await firstCell(doc, { limits: { ...limits, ...raised(cell.error.limits) } });
    expect(both.error.path).toEqual(['cells', 0, 'target', 'random', 'shape']);
    expect(both.error.limits).toEqual([{ setting: settingOf('maxTotalElements'), needed: 930 }]);
    const last = await firstCell(doc, { limits: { ...limits, ...raised(cell.error.limits), ...raised(both.error.limits) } });
    expect(last.error).toBeUndefined();
    expect(last.ok).toBe(true);
  });

  it('a logits file past every element limit, read whole (no ranges: the web, a sweep): both element limits at once', async () => {
    const bytes = npyBytes('<f4', [3000, 3000], new Float32Array(9_000_000));
    const doc = scenario({ type: 'loss', id: 'l', logits: { npy: 'logits.npy' }, target: 0 });
    const cell = await firstCell(doc, { loadNpy: async () => bytes });
    expect(cell.error.path).toEqual(['cells', 0, 'logits', 'npy']);
    expect(cell.error.limits).toEqual([
      { setting: settingOf('maxElements'), needed: 9_000_000 },
      { setting: settingOf('maxTotalElements'), needed: 9_000_000 },
    ]);
  });

  it('a streamed logits file past the streamed-elements limit and the run total: both at once', async () => {
    const bytes = npyBytes('<f4', [3000, 4], new Float32Array(12_000));
    const doc = scenario({ type: 'loss', id: 'l', logits: { npy: 'logits.npy' }, target: 0 });
    const options: EvaluateOptions = {
      loadNpy: async () => bytes,
      openFile: async (name) => bytesAsRangeFile(name, bytes),
      limits: { maxElements: 1000, maxStreamedElements: 10_000, maxTotalElements: 2000 },
    };
    const cell = await firstCell(doc, options);
    expect(cell.error.limits).toEqual([
      { setting: settingOf('maxStreamedElements'), needed: 12_000 },
      { setting: settingOf('maxTotalElements'), needed: 3000 },
    ]);
  });

  it('a model too wide and too big: layer width, parameters and elements per run, at the widest layer', async () => {
    const cell = await firstCell(scenario(smallTrainCell({ model: { layers: [2, 5000, 5000, 2] } })));
    expect(cell.error.path).toEqual(['cells', 0, 'model', 'layers', 1]);
    const parameters = 2 * 5000 + 5000 + 5000 * 5000 + 5000 + 5000 * 2 + 2;
    expect(cell.error.limits).toEqual([
      { setting: settingOf('maxLayerWidth'), needed: 5000 },
      { setting: settingOf('maxParameters'), needed: parameters },
      { setting: settingOf('maxTotalElements'), needed: parameters },
    ]);
  });

  it('a training too long: its steps and the work they bring, both at steps', async () => {
    const cell = await firstCell(scenario(smallTrainCell({ model: { layers: [2, 64, 3] }, steps: 1e9 })));
    expect(cell.error.path).toEqual(['cells', 0, 'steps']);
    expect(cell.error.limits.map((l: LimitSetting) => l.setting)).toEqual([settingOf('maxTrainSteps'), settingOf('maxWork')]);
    expect(cell.error.limits[0].needed).toBe(1e9);
  });

  it('a sweep of a loss cell over limits carries them, so the error on the sweep can raise them too', async () => {
    const doc = scenario(
      { type: 'loss', id: 'l', logits: { random: { shape: [3000, 3000] } }, target: 0 },
      { type: 'sweep', id: 's', of: 'l', param: 'temperature', from: 0.5, to: 2, steps: 3 },
    );
    const sweep = (await cliCells(doc))[1];
    expect(sweep.error.path).toEqual(['cells', 1, 'of']);
    expect(sweep.error.limits).toEqual([
      { setting: settingOf('maxElements'), needed: 9_000_000 },
      { setting: settingOf('maxTotalElements'), needed: 9_000_000 },
    ]);
  });
});

// The golden PyTorch cases written as scenarios and evaluated end to end
// (JSON → engine → CLI document), as a user's file is.
import { describe, expect, it } from 'vitest';
import { FLOAT32, FLOAT64, expectClose, flatParams, golden } from '../helpers/golden';
import { lossScenario, trainScenario } from '../helpers/goldenScenarios';
import { cliCells } from '../helpers/run';
import { describeEachKernelSet } from '../helpers/kernelSets';

describeEachKernelSet('golden cases as scenarios', () => {
  describe.each(['float64', 'float32'] as const)('scenario loss cells against PyTorch, %s', (dtype) => {
    const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
    it.each(golden.loss_cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const [cell] = await cliCells(lossScenario(c, dtype));
      const expected = c.expected[dtype];
      if ('error' in expected) {
        expect(cell.ok).toBe(false);
        expect(cell.error.message).toContain(expected.error);
        expect(cell.error.path.slice(0, 2)).toEqual(['cells', 0]);
        return;
      }
      expect(cell.ok, JSON.stringify(cell.error)).toBe(true);
      expectClose(cell.loss, expected.loss, tol, 'loss');
      expectClose(cell.grad, expected.grad, tol, 'grad');
      if (dtype === 'float64') {
        expectClose(cell.probs, c.softmax, tol, 'probs');
        expectClose(cell.log_probs, c.log_softmax, tol, 'log_probs');
      }
    });
  });

  // A sweep reuses log_softmax across label_smoothing points: each point must still be PyTorch's loss.
  describe.each(['float64', 'float32'] as const)("label_smoothing sweeps reach PyTorch at each case's smoothing, %s", (dtype) => {
    const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
    const smoothed = golden.loss_cases.filter((c) => c.label_smoothing > 0 && !('error' in c.expected[dtype]));
    it.each(smoothed.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const scenario = lossScenario({ ...c, label_smoothing: 0 }, dtype) as { cells: object[] };
      scenario.cells.push({ type: 'sweep', of: c.name, param: 'label_smoothing', from: c.label_smoothing, to: c.label_smoothing, steps: 1 });
      const [, sweep] = await cliCells(scenario);
      expect(sweep.ok, JSON.stringify(sweep.error)).toBe(true);
      const expected = c.expected[dtype];
      if (!('error' in expected)) expectClose(sweep.loss[0], expected.loss, tol, 'loss');
    });
  });

  describe.each(['float64', 'float32'] as const)('scenario train cells against PyTorch, %s', (dtype) => {
    const tol = dtype === 'float64' ? FLOAT64 : FLOAT32;
    it.each(golden.train_cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const [cell] = await cliCells(trainScenario(c, dtype));
      expect(cell.ok, JSON.stringify(cell.error)).toBe(true);
      const expected = c.expected[dtype];
      expectClose(cell.losses, expected.losses, tol, 'losses');
      expectClose(flatParams(cell.final.params), flatParams(expected.final), tol, 'final params');
      expectClose(cell.final.probs, expected.final_probs, tol, 'final probs');
    });
  });

  describe('torch_seed initialisation through a scenario', () => {
    it.each(golden.init_cases.map((c) => [c.seed, JSON.stringify(c.layers), c] as const))('seed %i, layers %s', async (_s, _l, c) => {
      const widths = [c.layers[0][0], ...c.layers.map((l) => l[1])];
      const scenario = {
        dtype: 'float32',
        cells: [
          {
            type: 'train',
            model: { layers: widths, init: { torch_seed: c.seed } },
            data: { x: [new Array(widths[0]).fill(0)], target: [0] },
            optimizer: { type: 'sgd', lr: 0 },
            steps: 1,
          },
        ],
      };
      const [cell] = await cliCells(scenario);
      // lr = 0: the final parameters are the initial ones, bit for bit.
      expect(cell.final.params).toEqual(c.expected);
    });
  });
});

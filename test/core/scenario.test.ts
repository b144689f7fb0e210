// Scenario reading and evaluation: errors point at the offending JSON value,
// failures stay in their cell, sweeps, tensors from npy/random, streaming and cancel.
import { describe, expect, it } from 'vitest';
import { linspace } from '../../core/scenario/sweepCell';
import { collect, cliCells, runState } from '../helpers/run';
import { scenarioEvent } from '../helpers/scenarioEvent';

const loss = (extra: object) => ({
  type: 'loss',
  logits: [
    [2.0, 1.0, 0.1],
    [0.0, 5.0, 0.2],
  ],
  target: [0, 1],
  ...extra,
});
const scenario = (...cells: object[]) => ({ version: 1, dtype: 'float64', cells });

describe('errors carry the JSON path of the offending value', () => {
  it.each([
    ['out-of-range target', loss({ target: [0, 3] }), ['cells', 0, 'target', 1], 'Target 3 is out of bounds.'],
    ['negative target', loss({ target: [-1, 0] }), ['cells', 0, 'target', 0], 'Target -1 is out of bounds.'],
    ['fractional class index', loss({ target: [0, 1.5] }), ['cells', 0, 'target', 1], 'not a class index'],
    [
      'ragged logits',
      loss({
        logits: [
          [1, 2, 3],
          [1, 2],
        ],
      }),
      ['cells', 0, 'logits', 1],
      'Ragged array',
    ],
    [
      'a word among the logits',
      loss({
        logits: [
          [1, 'two', 3],
          [1, 2, 3],
        ],
      }),
      ['cells', 0, 'logits', 0, 1],
      'Expected a number',
    ],
    ['weight length', loss({ weight: [1, 2] }), ['cells', 0, 'weight'], 'weight tensor should be defined either for all 3 classes'],
    ['unknown reduction', loss({ reduction: 'average' }), ['cells', 0, 'reduction'], 'average is not a valid value for reduction'],
    [
      'label smoothing above 1',
      loss({ label_smoothing: 1.5 }),
      ['cells', 0, 'label_smoothing'],
      'label_smoothing must be between 0.0 and 1.0. Got: 1.5',
    ],
    [
      'ignore_index with probabilities',
      loss({
        target: [
          [1, 0, 0],
          [0, 1, 0],
        ],
        ignore_index: 0,
      }),
      ['cells', 0, 'ignore_index'],
      'ignore_index is not supported for floating point target',
    ],
    ['batch mismatch', loss({ target: [0] }), ['cells', 0, 'target'], 'Expected input batch_size (2) to match target batch_size (1).'],
    ['zero temperature', loss({ temperature: 0 }), ['cells', 0, 'temperature'], 'temperature must be a positive number'],
    [
      'grad_output shape',
      loss({ reduction: 'none', grad_output: [1, 2, 3] }),
      ['cells', 0, 'grad_output'],
      "grad_output must have the loss's shape [2]",
    ],
    ['missing logits', { type: 'loss', target: [0] }, ['cells', 0], 'Missing "logits"'],
    ['unknown cell type', { type: 'losss' }, ['cells', 0, 'type'], 'type must be one of'],
  ])('%s', async (_name, cell, path, message) => {
    const [result] = await cliCells(scenario(cell));
    expect(result.ok).toBe(false);
    expect(result.error.path).toEqual(path);
    expect(result.error.message).toContain(message);
  });

  it('K-dimensional targets point at the exact position', async () => {
    const [result] = await cliCells(
      scenario({
        type: 'loss',
        logits: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        target: [[0, 2]],
      }),
    );
    expect(result.error).toEqual({ message: expect.stringContaining('Target 2 is out of bounds.'), path: ['cells', 0, 'target', 0, 1] });
  });

  it('a failing cell does not stop the others, and a sweep of a failed loss cell says why', async () => {
    const cells = await cliCells(
      scenario(loss({ id: 'bad', target: [0, 9] }), loss({ id: 'good' }), {
        type: 'sweep',
        of: 'bad',
        param: 'temperature',
        from: 0.5,
        to: 2,
        steps: 3,
      }),
    );
    expect(cells.map((c) => c.ok)).toEqual([false, true, false]);
    expect(cells[2].error.path).toEqual(['cells', 2, 'of']);
    expect(cells[2].error.message).toContain('Loss cell "bad" has an error');
    expect(cells[1].loss).toBeCloseTo(0.21594339987050593, 14);
  });

  it('duplicate ids are refused at the second id', async () => {
    const cells = await cliCells(scenario(loss({ id: 'a' }), loss({ id: 'a' })));
    expect(cells[1].error.path).toEqual(['cells', 1, 'id']);
  });

  it.each([
    ['not JSON', '{"cells": [', 'Not valid JSON'],
    ['not an object', '[1, 2]', 'Not a scenario'],
    ['no cells', '{"title": "x"}', '"cells" array is missing'],
    ['another version', '{"version": 2, "cells": []}', 'this CE Lab reads scenario version 1'],
    ['bad dtype', '{"dtype": "float16", "cells": []}', 'dtype must be one of "float32", "float64"'],
  ])('a file that is %s is a file-level error', async (_name, text, message) => {
    const state = await runState(text);
    expect(state.fileError?.message).toContain(message);
    expect(state.cells).toEqual([]);
  });
});

describe('values and options', () => {
  it('accepts "inf", "-inf" and "nan" where a float is expected', async () => {
    const [cell] = await cliCells(scenario({ type: 'loss', logits: [[1, '-inf', 2]], target: [1] }));
    expect(cell.loss).toBe(Infinity);
    expect(cell.grad[0][1]).toBe(-1);
  });

  it('warns about a negative label_smoothing, which PyTorch accepts and ignores', async () => {
    const [cell] = await cliCells(scenario(loss({ label_smoothing: -0.1 })));
    expect(cell.ok).toBe(true);
    expect(cell.warnings[0].path).toEqual(['cells', 0, 'label_smoothing']);
    expect(cell.loss).toBeCloseTo(0.21594339987050593, 14);
  });

  it('warns about unknown fields instead of silently dropping them', async () => {
    const [cell] = await cliCells(scenario(loss({ lable_smoothing: 0.1 })));
    expect(cell.warnings[0]).toEqual({
      message: 'Unknown field "lable_smoothing" in a loss cell: did you mean "label_smoothing"? As written it is ignored.',
      path: ['cells', 0, 'lable_smoothing'],
      at: 'key',
    });
    // Nothing close: the known fields are listed instead.
    const [other] = await cliCells(scenario(loss({ colour: 'red' })));
    expect(other.warnings[0].message).toMatch(
      /^Unknown field "colour" in a loss cell; it is ignored\. Known fields: type, id, title, logits, target/,
    );
  });

  it('warns on the key about unknown fields inside a train cell’s model, optimizer, loss and data', async () => {
    const train = {
      type: 'train',
      id: 't',
      model: { layers: [2, 3, 2], activaton: 'tanh' },
      data: { x: [[0, 1]], target: [1], shufle: true },
      optimizer: { type: 'sgd', lr: 0.1, momentun: 0.9 },
      loss: { label_smothing: 0.1 },
      steps: 2,
    };
    const [cell] = await cliCells(scenario(train));
    expect(cell.ok).toBe(true);
    expect(cell.warnings).toEqual([
      {
        message: 'Unknown field "activaton" in model: did you mean "activation"? As written it is ignored.',
        path: ['cells', 0, 'model', 'activaton'],
        at: 'key',
      },
      {
        message: 'Unknown field "momentun" in optimizer: did you mean "momentum"? As written it is ignored.',
        path: ['cells', 0, 'optimizer', 'momentun'],
        at: 'key',
      },
      {
        message: 'Unknown field "label_smothing" in loss: did you mean "label_smoothing"? As written it is ignored.',
        path: ['cells', 0, 'loss', 'label_smothing'],
        at: 'key',
      },
      expect.objectContaining({ path: ['cells', 0, 'data', 'shufle'], at: 'key' }),
    ]);
    // Spelt right, nothing is said.
    const [clean] = await cliCells(
      scenario({
        ...train,
        model: { layers: [2, 3, 2], activation: 'tanh' },
        data: { x: [[0, 1]], target: [1] },
        optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
        loss: { label_smoothing: 0.1 },
      }),
    );
    expect(clean.ok && (clean.warnings ?? [])).toEqual([]);
  });

  it('temperature divides the logits, and the gradient carries the 1/T factor', async () => {
    const T = 2;
    const [hot, scaled] = await cliCells(
      scenario(
        loss({ temperature: T }),
        loss({
          logits: [
            [1.0, 0.5, 0.05],
            [0.0, 2.5, 0.1],
          ],
        }),
      ),
    );
    expect(hot.loss).toBeCloseTo(scaled.loss, 14);
    hot.grad.flat().forEach((g: number, i: number) => expect(g).toBeCloseTo(scaled.grad.flat()[i] / T, 14));
  });

  describe('random tensors', () => {
    const randomCell = (extra: object = {}) => ({
      type: 'loss',
      logits: { random: { shape: [4, 3], dist: 'normal' } },
      target: { random: { shape: [4], classes: 3 } },
      ...extra,
    });
    /** The cell's logits and targets as the engine read them. */
    const viewOf = async (doc: object, id: string) => {
      const cell = (await runState(JSON.stringify(doc))).cells.find((c) => c.header.id === id);
      if (cell?.result?.ok !== true || cell.result.type !== 'loss') throw new Error(`cell ${id} did not give a loss`);
      return cell.result.view;
    };
    const logitsOf = async (doc: object, id: string) => (await viewOf(doc, id)).rows?.logits;
    const other = { type: 'loss', id: 'other', logits: { random: { shape: [4, 3] } }, target: [0, 1, 2, 0] };

    it('the same file gives the same values twice; another seed gives other values', async () => {
      const doc = { seed: 7, cells: [randomCell({ id: 'r' })] };
      const first = await logitsOf(doc, 'r');
      expect(await logitsOf(doc, 'r')).toEqual(first);
      expect(new Set(first?.flat()).size).toBe(12);
      expect(await logitsOf({ ...doc, seed: 8 }, 'r')).not.toEqual(first);
    });

    it("inserting, editing or removing other cells keeps a cell's values when it has an id", async () => {
      const alone = await logitsOf({ seed: 7, cells: [randomCell({ id: 'r' })] }, 'r');
      expect(await logitsOf({ seed: 7, cells: [other, { type: 'markdown', text: 'x' }, randomCell({ id: 'r' })] }, 'r')).toEqual(alone);
      expect(await logitsOf({ seed: 7, cells: [randomCell({ id: 'r' }), { ...other, logits: { random: { shape: [2, 3] } } }] }, 'r')).toEqual(alone);
    });

    it('what changes a cell’s values: its id, or its position when it has no id, or the place of the value', async () => {
      const alone = await logitsOf({ seed: 7, cells: [randomCell({ id: 'r' })] }, 'r');
      expect(await logitsOf({ seed: 7, cells: [randomCell({ id: 's' })] }, 's')).not.toEqual(alone);
      const unnamed = await logitsOf({ seed: 7, cells: [randomCell()] }, 'cell-0');
      expect(await logitsOf({ seed: 7, cells: [randomCell()] }, 'cell-0')).toEqual(unnamed);
      expect(await logitsOf({ seed: 7, cells: [{ type: 'markdown', text: 'x' }, randomCell()] }, 'cell-1')).not.toEqual(unnamed);
      // The logits and the target of one cell draw from different generators.
      const probs = { random: { shape: [4, 3], dist: 'uniform' } };
      const view = await viewOf({ seed: 7, cells: [randomCell({ id: 'r', logits: probs, target: probs })] }, 'r');
      expect(view.rows?.target).not.toEqual(view.rows?.logits);
    });
  });
});

describe('sweeps', () => {
  it('linspace matches torch.linspace, both ends exact', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0.1, 0.3, 3)[2]).toBe(0.3);
  });

  it('a logit sweep reports the loss and that logit’s gradient at each point', async () => {
    const cells = await cliCells(
      scenario(
        loss({ id: 'l' }),
        { type: 'sweep', of: 'l', param: 'logit[0][0]', from: 0, to: 4, steps: 5 },
        loss({
          logits: [
            [4.0, 1.0, 0.1],
            [0.0, 5.0, 0.2],
          ],
        }),
      ),
    );
    const sweep = cells[1];
    expect(sweep.values).toEqual([0, 1, 2, 3, 4]);
    expect(sweep.loss[2]).toBeCloseTo(0.21594339987050593, 14);
    expect(sweep.loss[4]).toBeCloseTo(cells[2].loss, 14);
    expect(sweep.grad[2]).toBeCloseTo(-0.17049943055701605, 14);
  });

  it('a margin sweep needs class-index targets', async () => {
    const cells = await cliCells(
      scenario(
        loss({
          id: 'p',
          target: [
            [1, 0, 0],
            [0, 1, 0],
          ],
        }),
        { type: 'sweep', of: 'p', param: 'margin', from: 0, to: 1, steps: 2 },
      ),
    );
    expect(cells[1].error.path).toEqual(['cells', 1, 'param']);
  });

  it('a label-smoothing sweep past 1 fails with PyTorch’s message at "to"', async () => {
    const cells = await cliCells(scenario(loss({ id: 'l' }), { type: 'sweep', of: 'l', param: 'label_smoothing', from: 0, to: 1.5, steps: 4 }));
    expect(cells[1].error.path).toEqual(['cells', 1, 'to']);
    expect(cells[1].error.message).toContain('label_smoothing must be between 0.0 and 1.0');
  });
});

describe('training cells', () => {
  const train = (extra: object) => ({
    type: 'train',
    id: 't',
    model: { layers: [2, 8, 2], activation: 'tanh', init: { torch_seed: 3 } },
    data: { dataset: 'moons', n: 64, noise: 0.1 },
    optimizer: { type: 'adam', lr: 0.05 },
    steps: 60,
    ...extra,
  });

  it('streams progress with a decision boundary for 2-D inputs, then the result', async () => {
    const events = await collect(JSON.stringify(scenario(train({}))), { progressIntervalMs: 0 });
    const progress = events.filter((e) => e.kind === 'train-progress');
    expect(progress).toHaveLength(60);
    expect(progress.every((p) => p.kind === 'train-progress' && p.boundary?.argmax.length === 40 * 40)).toBe(true);
    const result = events.find((e) => e.kind === 'cell-result');
    expect(result?.kind === 'cell-result' && result.result.type === 'train' && result.result.losses.length).toBe(60);
  });

  it('learns the moons: the loss falls and accuracy rises', async () => {
    const [cell] = await cliCells(scenario(train({ steps: 200 })));
    expect(cell.losses[199]).toBeLessThan(cell.losses[0] / 2);
    expect(cell.accuracy[199]).toBeGreaterThan(0.85);
  });

  it('stops between steps when cancelled', async () => {
    const controller = new AbortController();
    const events = [];
    for await (const event of (await import('../../core/evaluate')).evaluateScenario(JSON.stringify(scenario(train({ steps: 100000 }))), {
      signal: controller.signal,
      progressIntervalMs: 0,
    })) {
      events.push(event);
      if (event.kind === 'train-progress' && event.done >= 10) controller.abort();
    }
    expect(events.at(-1)).toEqual({ kind: 'done', cancelled: true });
    expect(events.some((e) => e.kind === 'cell-result')).toBe(false);
  });

  it.each([
    ['x width', { data: { x: [[1, 2, 3]], target: [0] } }, ['cells', 0, 'data', 'x'], 'x must have shape [N, 2]'],
    ['target range', { data: { x: [[1, 2]], target: [5] } }, ['cells', 0, 'data', 'target', 0], 'Target 5 is out of bounds.'],
    [
      'nesterov without momentum',
      { optimizer: { type: 'sgd', lr: 0.1, nesterov: true } },
      ['cells', 0, 'optimizer', 'nesterov'],
      'Nesterov momentum requires a momentum and zero dampening',
    ],
    ['negative lr', { optimizer: { type: 'adam', lr: -1 } }, ['cells', 0, 'optimizer', 'lr'], 'Invalid learning rate: -1'],
    ['reduction none', { loss: { reduction: 'none' } }, ['cells', 0, 'loss', 'reduction'], 'scalar outputs'],
    [
      'weight shape',
      { model: { layers: [2, 2], init: { params: [{ weight: [[1, 2]], bias: [0, 0] }] } } },
      ['cells', 0, 'model', 'init', 'params', 0, 'weight'],
      'must have shape [2, 2]',
    ],
  ])('%s errors point at the value', async (_name, extra, path, message) => {
    const [cell] = await cliCells(scenario(train(extra)));
    expect(cell.error.path).toEqual(path);
    expect(cell.error.message).toContain(message);
  });
});

describe('K-dimensional shape errors use the words of the PyTorch function that raises them', () => {
  it.each([
    ['4-D input, 2-D target', [2, 2, 2, 2], [2, 2], 'only batches of spatial targets supported (3D tensors) but got targets of dimension: 2'],
    ['4-D input, wrong spatial size', [1, 2, 2, 2], [1, 2, 3], 'size mismatch (got input: [1, 2, 2, 2], target: [1, 2, 3])'],
    ['3-D input, wrong spatial size', [1, 2, 3], [1, 2], 'Expected target size [1, 3], got [1, 2]'],
  ])('%s', async (_name, inputShape, targetShape, message) => {
    const cell = { type: 'loss', logits: { random: { shape: inputShape } }, target: { random: { shape: targetShape, classes: 2 } } };
    const [result] = await cliCells(scenario(cell));
    expect(result.error.message).toContain(message);
    expect(result.error.path).toEqual(['cells', 0, 'target', 'random']);
  });
});

describe('the run-state fold', () => {
  it('marks a cell that was running when the run was cancelled as stopped, keeping its progress', async () => {
    const { applyEvent, emptyRunState } = await import('../../core/runState');
    const state = emptyRunState();
    applyEvent(
      state,
      scenarioEvent([
        ['a', 'train'],
        ['b', 'loss'],
      ]),
    );
    applyEvent(state, { kind: 'cell-started', index: 0, id: 'a' });
    applyEvent(state, { kind: 'train-progress', index: 0, id: 'a', done: 1, steps: 9, losses: [1.5], accuracy: [0.5], boundary: null });
    applyEvent(state, { kind: 'done', cancelled: true });
    expect(state.cells.map((c) => c.status)).toEqual(['stopped', 'pending']);
    expect(state.cells[0].train?.losses).toEqual([1.5]);
  });
});

describe('grad_output', () => {
  it('accepts what autograd accepts: [g] for a scalar loss acts as g', async () => {
    const [scalar, listed] = await cliCells(scenario(loss({ grad_output: 0.5 }), loss({ grad_output: [0.5] })));
    expect(listed.grad).toEqual(scalar.grad);
    // 0.5 × PyTorch's float64 gradient of the sorix example.
    expect(scalar.grad[0][0]).toBeCloseTo(0.5 * -0.17049943055701605, 15);
  });

  it('refuses a shape the loss cannot be expanded to', async () => {
    const [cell] = await cliCells(scenario(loss({ reduction: 'none', grad_output: [1, 2, 3] })));
    expect(cell.error.path).toEqual(['cells', 0, 'grad_output']);
  });
});

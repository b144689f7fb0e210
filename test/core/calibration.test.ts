// Loss-cell calibration (core/calibration/) against figures written out in plain
// loops (test/helpers/calibrationReference.ts) on crafted cases: empty bins, a
// confidence on a bin edge and at exactly 1, ties for the top label, all rows
// right or wrong, ignored rows, one non-empty bin; the fitted temperature
// against a bisection; and the option's errors at their JSON paths.
import { describe, expect, it } from 'vitest';
import { cliCells, type CliCell } from '../helpers/run';
import { referenceFigures, referenceFittedT, type ReferenceFigures } from '../helpers/calibrationReference';
import { lcg } from '../helpers/lcg';

interface Case {
  logits: number[][];
  target: number[];
  bins?: number;
  temperature?: number;
  ignore_index?: number;
  dtype?: 'float32' | 'float64';
}

async function lossCell(c: Case, extra: object = { calibration: { bins: c.bins ?? 15 } }): Promise<CliCell> {
  const cell = { type: 'loss', id: 'c', logits: c.logits, target: c.target, ...extra };
  if (c.temperature !== undefined) Object.assign(cell, { temperature: c.temperature });
  if (c.ignore_index !== undefined) Object.assign(cell, { ignore_index: c.ignore_index });
  const [result] = await cliCells({ dtype: c.dtype ?? 'float64', cells: [cell] });
  return result;
}

function expectFigures(actual: CliCell, expected: ReferenceFigures): void {
  for (const key of ['ece', 'mce', 'brier', 'nll', 'accuracy'] as const) {
    expect(actual[key], key).toBeCloseTo(expected[key], 12);
  }
  expect(actual.reliability.length).toBe(expected.reliability.length);
  expected.reliability.forEach((bin, b) => {
    const got = actual.reliability[b];
    expect([got.lower, got.upper, got.count], `bin ${b}`).toEqual([bin.lower, bin.upper, bin.count]);
    expect('confidence' in got, `bin ${b} has figures`).toBe(bin.count > 0);
    if (bin.count > 0) {
      expect(got.confidence).toBeCloseTo(bin.confidence!, 12);
      expect(got.accuracy).toBeCloseTo(bin.accuracy!, 12);
    }
  });
}

async function checkCase(c: Case): Promise<CliCell> {
  const result = await lossCell(c);
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  const cal = result.calibration;
  expect(cal.bins).toBe(c.bins ?? 15);
  expectFigures(cal, referenceFigures(c.logits, c.target, c.ignore_index ?? -100, c.temperature ?? 1, c.bins ?? 15));
  return cal;
}

/** Two rows whose targets are probabilities (the logits' shape). */
const SOFT_TARGETS = {
  logits: [
    [1, 0],
    [0, 1],
  ],
  target: [
    [1, 0],
    [0, 1],
  ],
};

describe('calibration figures against plain loops', () => {
  it('leaves bins empty, with no confidence or accuracy there', async () => {
    const cal = await checkCase({
      logits: [
        [3, 0, 0],
        [0, 2, 0],
        [0, 0, 0.5],
      ],
      target: [0, 2, 2],
    });
    expect(cal.reliability.filter((b: { count: number }) => b.count === 0).length).toBe(12);
  });

  it('puts a confidence exactly on an edge in the bin it closes, and 1.0 in the last bin', async () => {
    // [0, 0] gives 0.5 (the upper edge of bin 1 of 4); [0, -1000] gives exactly 1; four equal logits 0.25.
    const cal = await checkCase({
      logits: [
        [0, 0, -1000, -1000],
        [0, -1000, -1000, -1000],
        [1, 1, 1, 1],
      ],
      target: [0, 0, 3],
      bins: 4,
    });
    expect(cal.reliability.map((b: { count: number }) => b.count)).toEqual([1, 1, 0, 1]);
    expect(cal.reliability[3].confidence).toBe(1);
  });

  it('breaks a tie for the top label as torch.argmax does: the first class', async () => {
    const cal = await checkCase({
      logits: [
        [2, 2, 0],
        [1, 3, 3],
      ],
      target: [1, 1],
      bins: 2,
    });
    expect(cal.accuracy).toBe(0.5); // row 0's top is class 0 (wrong), row 1's is class 1 (right)
  });

  it('all rows right, all rows wrong', async () => {
    const logits = [
      [3, 0],
      [0, 5],
      [1, 0.5],
    ];
    const right = await checkCase({ logits, target: [0, 1, 0] });
    expect(right.accuracy).toBe(1);
    // Every row right with a margin: the NLL falls towards T → 0, until it is flat to float64 rounding.
    expect(right.temperature.fitted).toBeLessThan(0.05);
    expect(right.temperature.nll).toBeLessThan(1e-12);
    const wrong = await checkCase({ logits, target: [1, 0, 1] });
    expect(wrong.accuracy).toBe(0);
    expect(wrong.temperature).toMatchObject({ fitted: 1000, bounded: true });
  });

  it('leaves ignored rows out', async () => {
    const cal = await checkCase({
      logits: [
        [3, 0, 1],
        [0, 5, 1],
        [1, 0.5, 2],
        [9, 0, 0],
      ],
      target: [0, -1, 2, 1],
      ignore_index: -1,
      bins: 5,
    });
    expect(cal.rows).toBe(3);
  });

  it('one non-empty bin', async () => {
    const cal = await checkCase({
      logits: [
        [0.03, 0],
        [0.01, 0],
        [0, 0.02],
      ],
      target: [0, 1, 1],
      bins: 2,
    });
    expect(cal.reliability.map((b: { count: number }) => b.count)).toEqual([0, 3]);
    expect(cal.mce).toBeCloseTo(cal.ece, 15);
  });

  it('applies the cell’s temperature first; float32 logits are rounded first', async () => {
    const next = lcg(3);
    const logits = Array.from({ length: 60 }, () => Array.from({ length: 5 }, () => 6 * next() - 3));
    const target = logits.map((_, i) => (i * 7) % 5);
    await checkCase({ logits, target, temperature: 0.7, bins: 10 });
    const f32 = logits.map((row) => row.map((v) => Math.fround(v)));
    const cal = await lossCell({ logits, target, dtype: 'float32' });
    expectFigures(cal.calibration, referenceFigures(f32, target, -100, 1, 15));
  });
});

describe('the fitted temperature', () => {
  it('is the NLL’s minimiser to 1e-6, whatever the cell’s own temperature, with its NLL and ECE', async () => {
    const next = lcg(11);
    for (const [C, sharp] of [
      [3, 4],
      [10, 0.5],
      [7, 12],
    ]) {
      const logits = Array.from({ length: 200 }, () => Array.from({ length: C }, () => sharp * (2 * next() - 1)));
      // Labels: the top class 70% of the time, so the logits are over- or under-confident.
      const target = logits.map((row) => (next() < 0.7 ? row.indexOf(Math.max(...row)) : Math.floor(next() * C)));
      const T = referenceFittedT(logits, target, -100);
      for (const temperature of [1, 2.5]) {
        const cal = (await lossCell({ logits, target, temperature, bins: 10 })).calibration;
        expect(Math.abs(cal.temperature.fitted / T - 1), `C=${C} from T=${temperature}`).toBeLessThan(1e-6);
        expect(cal.temperature.bounded).toBe(false);
        const there = referenceFigures(logits, target, -100, cal.temperature.fitted, 10);
        expect(cal.temperature.nll).toBeCloseTo(there.nll, 12);
        expect(cal.temperature.ece).toBeCloseTo(there.ece, 12);
        expect(cal.temperature.passes).toBeLessThan(15);
      }
    }
  });
});

describe('the calibration option', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [i % 3, 1, 0]);
  const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 3);

  it('is computed without asking from 1,000 rows; false turns it off; true means 15 bins', async () => {
    expect((await lossCell({ logits: rows(999), target: labels(999) }, {})).calibration).toBeUndefined();
    expect((await lossCell({ logits: rows(1000), target: labels(1000) }, {})).calibration.bins).toBe(15);
    expect((await lossCell({ logits: rows(1000), target: labels(1000) }, { calibration: false })).calibration).toBeUndefined();
    expect((await lossCell({ logits: rows(5), target: labels(5) }, { calibration: true })).calibration.bins).toBe(15);
  });

  it.each([
    [{ bins: 1 }, ['cells', 0, 'calibration', 'bins'], /bins must be from 2 to 100, got 1/],
    [{ bins: 101 }, ['cells', 0, 'calibration', 'bins'], /from 2 to 100/],
    [{ bins: 2.5 }, ['cells', 0, 'calibration', 'bins'], /integer/],
    ['yes', ['cells', 0, 'calibration'], /calibration must be true, false or/],
  ])('rejects %j at its path', async (calibration, path, message) => {
    const result = await lossCell({ logits: rows(4), target: labels(4) }, { calibration });
    expect(result.ok).toBe(false);
    expect(result.error.path).toEqual(path);
    expect(result.error.message).toMatch(message);
  });

  it('asked for: probability targets, one row, every row ignored are errors at calibration', async () => {
    const cases: [object, RegExp][] = [
      [SOFT_TARGETS, /needs class labels/],
      [{ logits: [[1, 0]], target: [0] }, /at least 2 rows; this cell has 1/],
      [
        {
          logits: [
            [1, 0],
            [0, 1],
          ],
          target: [-100, -100],
        },
        /every row is at ignore_index/,
      ],
    ];
    for (const [cell, message] of cases) {
      const [result] = await cliCells({ cells: [{ type: 'loss', ...cell, calibration: true }] });
      expect(result.ok).toBe(false);
      expect(result.error.path).toEqual(['cells', 0, 'calibration']);
      expect(result.error.message).toMatch(message);
    }
  });

  it('automatic: probability targets leave it out, and the view says why', async () => {
    const { runState } = await import('../helpers/run');
    const probs = rows(1000).map((r) => r.map((_, c) => (c === 0 ? 1 : 0)));
    const state = await runState(JSON.stringify({ cells: [{ type: 'loss', logits: rows(1000), target: probs }] }));
    const result = state.cells[0].result;
    expect(result?.ok && result.type === 'loss' && [result.calibration, result.view.calibrationAbsent]).toEqual([
      undefined,
      'Calibration needs class labels: this cell’s targets are probabilities.',
    ]);
  });
});

describe('a sweep with "ece": true', () => {
  const next = lcg(5);
  const logits = Array.from({ length: 80 }, () => Array.from({ length: 4 }, () => 5 * next() - 2.5));
  const target = logits.map((row, i) => (i % 3 ? row.indexOf(Math.max(...row)) : i % 4));
  const sweep = (extra: object) => ({ type: 'sweep', id: 's', of: 'c', param: 'temperature', from: 0.5, to: 3, steps: 6, ece: true, ...extra });

  it('gives the ECE at each temperature beside the loss (the NLL), over the loss cell’s bins', async () => {
    const loss = { type: 'loss', id: 'c', logits, target, calibration: { bins: 8 } };
    const [, result] = await cliCells({ dtype: 'float64', cells: [loss, sweep({})] });
    expect(result.ok).toBe(true);
    result.values.forEach((T: number, i: number) => {
      const there = referenceFigures(logits, target, -100, T, 8);
      expect(result.ece[i]).toBeCloseTo(there.ece, 12);
      expect(result.loss[i]).toBeCloseTo(there.nll, 12);
    });
  });

  it('a margin sweep moves the logits it is measured on', async () => {
    const [, result] = await cliCells({
      dtype: 'float64',
      cells: [{ type: 'loss', id: 'c', logits, target }, sweep({ param: 'margin', from: 0, to: 2, steps: 3 })],
    });
    result.values.forEach((m: number, i: number) => {
      const moved = logits.map((row, n) => row.map((v, c) => (c === target[n] ? v + m : v)));
      expect(result.ece[i]).toBeCloseTo(referenceFigures(moved, target, -100, 1, 15).ece, 12);
    });
  });

  it('needs class-index targets: an error at "ece"', async () => {
    const soft = { type: 'loss', id: 'c', ...SOFT_TARGETS };
    const [, result] = await cliCells({ cells: [soft, sweep({})] });
    expect(result.ok).toBe(false);
    expect(result.error.path).toEqual(['cells', 1, 'ece']);
  });
});

// A loss cell whose logits file is past maxElements, through the engine: it
// streams (same numbers as the cell held whole), bad files get errors at the
// JSON value and row, a stop between blocks ends the run, and the result holds
// figures and per-row facts, never N×C tensors.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluateScenario, type EvaluateOptions } from '../../core/evaluate';
import type { EngineEvent } from '../../core/events';
import { bytesAsRangeFile, FileChangedError, type RangeFile } from '../../core/files/rangeFile';
import { npyBytes } from '../../core/npyWrite';
import { panelResult } from '../../core/panelResults';
import type { CellResult, LossResult } from '../../core/results';
import { readableToken } from '../../core/scenario/classNames';
import { dropKeptCalibration } from '../../core/calibration/streamedCalibration';
import { CALIBRATING, CALIBRATION_STOPPED } from '../../core/scenario/streamedRun';
import { dropKeptPass } from '../../core/scenario/streamedPassCache';
import { collect, runState } from '../helpers/run';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const [N, C] = [5000, 3];
const next = lcg(7);
const LOGITS = Array.from({ length: N * C }, () => 4 * (next() - 0.5));
const LABELS = Array.from({ length: N }, (_, n) => (n % 7 === 3 ? -100 : Math.floor(next() * C)));

type Files = Record<string, Uint8Array>;
const FILES: Files = {
  'logits.npy': npyBytes('<f4', [N, C], LOGITS),
  'labels.npy': npyBytes('<i8', [N], LABELS),
  'names.txt': new TextEncoder().encode('cat\ndog\nbird\n'),
};

/** Runs with the files above (and `extra`), streaming past 1,000 elements. */
function options(extra: Files = {}, open?: (name: string, file: RangeFile) => RangeFile): EvaluateOptions {
  const files = { ...FILES, ...extra };
  const bytes = (name: string) => {
    if (!Object.hasOwn(files, name)) throw new Error(`no file at "${name}"`);
    return files[name];
  };
  return {
    limits: { maxElements: 1000 },
    loadNpy: async (name) => bytes(name),
    // `open` wraps the logits' file only (the targets are read from theirs in place too).
    openFile: async (name) => (open && name === 'logits.npy' ? open : (_: string, f: RangeFile) => f)(name, bytesAsRangeFile(name, bytes(name))),
  };
}

const scenario = (cell: object) =>
  JSON.stringify({ dtype: 'float32', cells: [{ type: 'loss', id: 'big', logits: { npy: 'logits.npy' }, target: { npy: 'labels.npy' }, ...cell }] });

async function onlyCell(text: string, opts: EvaluateOptions): Promise<CellResult> {
  const state = await runState(text, opts);
  const result = state.cells[0].result;
  if (!result) throw new Error('no result');
  return result;
}

async function streamedCell(cell: object = {}, opts = options()): Promise<LossResult> {
  const result = await onlyCell(scenario(cell), opts);
  if (!result.ok || result.type !== 'loss') throw new Error(`the cell failed: ${JSON.stringify(result)}`);
  return result;
}

beforeEach(() => dropKeptPass());

describe('a loss cell past maxElements', () => {
  it('streams: the loss and per-element losses of the cell held whole, figures instead of N×C tensors', async () => {
    const streamed = await streamedCell({ label_smoothing: 0.2, classes: { file: 'names.txt' } });
    const whole = await streamedCell({ label_smoothing: 0.2, classes: { file: 'names.txt' } }, { ...options(), limits: {} });
    expect(whole.streamed).toBeUndefined();
    expect(streamed.loss).toEqual(whole.loss);
    expect(streamed.per_sample).toEqual(whole.per_sample);
    expect(streamed.probs).toBeUndefined();
    expect(streamed.grad).toBeUndefined();
    const { stats, per_row: rows } = streamed.streamed!;
    const counted = LABELS.filter((t) => t >= 0).length;
    expect(stats.counted).toBe(counted);
    // Accuracy from the logits themselves (no ties in random floats).
    const argmax = (n: number) => [0, 1, 2].reduce((best, c) => (LOGITS[n * C + c] > LOGITS[n * C + best] ? c : best), 0);
    const correct = LABELS.filter((t, n) => t >= 0 && argmax(n) === t).length;
    expect(stats.accuracy).toBeCloseTo(correct / counted, 12);
    expect(stats.top5_accuracy).toBe(1); // 3 classes: always among the top 5
    expect(rows!.top_class).toEqual(LABELS.map((_, n) => argmax(n)));
    // The worst rows, largest loss first, named from the file.
    const losses = (whole.per_sample as number[]).map((l, n) => ({ l, n })).filter(({ n }) => LABELS[n] >= 0);
    losses.sort((a, b) => b.l - a.l);
    expect(stats.worst.map((w) => w.element)).toEqual(losses.slice(0, stats.worst.length).map(({ n }) => n));
    expect(stats.worst[0].targetName).toBe(['cat', 'dog', 'bird'][LABELS[stats.worst[0].element]]);
    expect(stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(counted);
    const drawn = JSON.stringify(panelResult(streamed));
    expect(drawn.length).toBeLessThan(20_000); // no per-element arrays reach the panel
  });

  it('calibrates by itself from 1,000 rows, as the cell held whole does: the same figures, bit for bit', async () => {
    dropKeptCalibration();
    const streamed = await streamedCell();
    const whole = await streamedCell({}, { ...options(), limits: {} });
    expect(streamed.streamed).toBeDefined();
    expect(whole.streamed).toBeUndefined();
    expect(streamed.calibration!.bins).toBe(15);
    expect(streamed.calibration).toEqual(whole.calibration);
    expect(streamed.calibration!.rows).toBe(LABELS.filter((t) => t >= 0).length);
  });

  it('with provisional results, its loss comes first, marked as calibrating, then the result with calibration', async () => {
    dropKeptCalibration();
    const events = await collect(scenario({}), { ...options(), provisionalStreamedResults: true });
    const results = events.filter((e) => e.kind === 'cell-result').map((e) => e.result as LossResult);
    expect(results).toHaveLength(2);
    const [first, last] = results;
    expect(first.view.calibrating).toBe(CALIBRATING);
    expect(first.calibration).toBeUndefined();
    expect(first.loss).toEqual(last.loss);
    expect(last.view.calibrating).toBeUndefined();
    expect(last.calibration!.rows).toBe(LABELS.filter((t) => t >= 0).length);
    expect(events.at(-1)).toEqual({ kind: 'done', cancelled: false });
  });

  it('a Stop during the calibration passes keeps the loss, says why calibration is missing, and ends the run', async () => {
    dropKeptCalibration();
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    const opts = { ...options(), provisionalStreamedResults: true, signal: controller.signal };
    for await (const event of evaluateScenario(scenario({}), opts)) {
      events.push(event);
      if (event.kind === 'cell-result' && (event.result as LossResult).view.calibrating) controller.abort();
    }
    const results = events.filter((e) => e.kind === 'cell-result').map((e) => e.result as LossResult);
    expect(results).toHaveLength(2);
    expect(results[1].calibration).toBeUndefined();
    expect(results[1].view.calibrating).toBeUndefined();
    expect(results[1].view.calibrationAbsent).toBe(CALIBRATION_STOPPED);
    expect(results[1].loss).toEqual(results[0].loss);
    expect(events.at(-1)).toEqual({ kind: 'done', cancelled: true });
  });

  it('calibration, when asked: the bits of the cell held whole, the fit the same at any temperature', async () => {
    dropKeptCalibration();
    const streamed = await streamedCell({ temperature: 1.7, calibration: { bins: 12 } });
    const whole = await streamedCell({ temperature: 1.7, calibration: { bins: 12 } }, { ...options(), limits: {} });
    expect(streamed.streamed).toBeDefined();
    expect(streamed.calibration).toEqual(whole.calibration);
    expect(streamed.calibration!.rows).toBe(LABELS.filter((t) => t >= 0).length);
    // Dragging the temperature: the figures move, the fit is kept (its T does not depend on the cell's).
    const cooler = await streamedCell({ temperature: 0.9, calibration: { bins: 12 } });
    expect(cooler.calibration!.ece).not.toBe(streamed.calibration!.ece);
    expect(cooler.calibration!.temperature).toEqual(streamed.calibration!.temperature);
  });

  it('a truncated file: an error at its JSON value, no result', async () => {
    const cut = FILES['logits.npy'].subarray(0, FILES['logits.npy'].length - 10);
    const result = await onlyCell(scenario({}), options({ 'logits.npy': cut }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.path).toEqual(['cells', 0, 'logits', 'npy']);
    expect(result.error.message).toMatch(/logits\.npy: the \.npy file is truncated: shape \[5000, 3\] needs 60000 bytes of data, the file has 59990/);
  });

  it('a header whose shape does not match the data', async () => {
    const wrong = npyBytes('<f4', [N, C + 1], LOGITS);
    const result = await onlyCell(scenario({}), options({ 'logits.npy': wrong.subarray(0, wrong.length - N * 4 + 8) }));
    expect(result.ok || result.error.message).toMatch(/truncated: shape \[5000, 4\] needs 80000 bytes/);
  });

  it('a Fortran-ordered file is refused with what to do', async () => {
    const bytes = npyBytes('<f4', [N, C], LOGITS);
    const text = new TextDecoder('latin1').decode(bytes.subarray(0, 128)).replace("'fortran_order': False", "'fortran_order': True ");
    const fortran = Uint8Array.from([...Array.from(text, (ch) => ch.charCodeAt(0)), ...bytes.subarray(128)]);
    const result = await onlyCell(scenario({}), options({ 'logits.npy': fortran }));
    expect(result.ok || result.error.message).toMatch(/Fortran-ordered .npy arrays are not supported \(save with np.ascontiguousarray\)/);
  });

  it('a target out of range names its row', async () => {
    const labels = [...LABELS];
    labels[4321] = 3;
    const result = await onlyCell(scenario({}), options({ 'labels.npy': npyBytes('<i8', [N], labels) }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.path).toEqual(['cells', 0, 'target', 'npy']);
    expect(result.error.message).toBe(
      'Target 3 is out of bounds. Class indices run from 0 to 2 (3 classes); ignore_index is -100 (row 4,321 of 5,000).',
    );
  });

  it('a labels file with the wrong number of names', async () => {
    const result = await onlyCell(scenario({ classes: { file: 'two.txt' } }), options({ 'two.txt': new TextEncoder().encode('cat\ndog\n') }));
    expect(result.ok || result.error).toEqual({ message: 'classes names 2 classes but the logits have 3.', path: ['cells', 0, 'classes'] });
  });

  it('a file that changes while it is read fails the run: nothing of two versions is shown', async () => {
    let reads = 0;
    const changing = (_name: string, file: RangeFile): RangeFile => ({
      ...file,
      read: async (offset, length) => {
        if (++reads > 3) throw new FileChangedError('logits.npy');
        return file.read(offset, length);
      },
    });
    const result = await onlyCell(scenario({}), { ...options({}, changing), limits: { maxElements: 1000 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/logits\.npy changed while reading it/);
  });

  it('a stop between blocks ends the run without a result, and closes the file', async () => {
    const controller = new AbortController();
    let closed = false;
    let reads = 0;
    const big = 3 * (1 << 21); // three blocks of values
    const logits = new Float32Array(big);
    const opts = options(
      { 'logits.npy': npyBytes('<f4', [big / 4, 4], logits), 'labels.npy': npyBytes('<i8', [big / 4], new Array(big / 4).fill(1)) },
      (_n, file) => ({
        ...file,
        read: async (offset, length) => {
          if (++reads === 3) controller.abort(); // during the first block
          return file.read(offset, length);
        },
        close: async () => void (closed = true),
      }),
    );
    const events = await collect(scenario({}), { ...opts, signal: controller.signal });
    expect(events.some((e) => e.kind === 'cell-result' || e.kind === 'cell-failed')).toBe(false);
    expect(events.at(-1)).toEqual({ kind: 'done', cancelled: true });
    expect(closed).toBe(true);
    expect(reads).toBe(3); // the header (twice) and one block: nothing after the stop
  });
});

describe('a label smoothing change', () => {
  it('recombines the kept terms: the file is not read again but for its header and the worst rows', async () => {
    let valuesRead = 0;
    const counting = (_name: string, file: RangeFile): RangeFile => ({
      ...file,
      read: async (offset, length) => {
        if (offset > 0 && length > 64) valuesRead += length / 4;
        return file.read(offset, length);
      },
    });
    const first = await streamedCell({ label_smoothing: 0 }, options({}, counting));
    expect(valuesRead).toBeGreaterThanOrEqual(N * C);
    valuesRead = 0;
    const moved = await streamedCell({ label_smoothing: 0.3 }, options({}, counting));
    expect(valuesRead).toBe(0); // the worst rows' 3 values a row are read in pieces under 64 bytes
    dropKeptPass();
    const fresh = await streamedCell({ label_smoothing: 0.3 }, options());
    expect(moved.loss).toEqual(fresh.loss);
    expect(moved.per_sample).toEqual(fresh.per_sample);
    expect(moved.loss).not.toEqual(first.loss);
  });

  it('a new temperature reads the file again', async () => {
    let reads = 0;
    const counting = (_name: string, file: RangeFile): RangeFile => ({ ...file, read: async (o, l) => (reads++, file.read(o, l)) });
    await streamedCell({}, options({}, counting));
    const before = reads;
    await streamedCell({ temperature: 2 }, options({}, counting));
    expect(reads - before).toBeGreaterThan(2 + 10);
  });
});

describe('.npz files written by numpy (test/fixtures/model-files)', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(path.join(__dirname, '../fixtures/model-files', name)));
  const npzCell = (file: string) =>
    JSON.stringify({ cells: [{ type: 'loss', id: 'z', logits: { npz: file, key: 'logits' }, target: { npz: file, key: 'targets' } }] });
  const files = { 'stored.npz': fixture('stored.npz'), 'compressed.npz': fixture('compressed.npz') };
  const opts = (limits: object): EvaluateOptions => ({
    limits,
    loadNpy: async (name) => files[name as keyof typeof files],
    openFile: async (name) => bytesAsRangeFile(name, files[name as keyof typeof files]),
  });
  // make.py: logits[n][c] = (4n + c) / 8 − 1, targets [0, 3, 1]; each row's loss is log Σ exp(c/8) − t/8.
  const expected = [0, 3, 1].reduce((s, t) => s + Math.log([0, 1, 2, 3].reduce((a, c) => a + Math.exp(c / 8), 0)) - t / 8, 0) / 3;

  it('a stored entry (numpy.savez) streams, with the loss of its definition', async () => {
    const result = await onlyCell(npzCell('stored.npz'), opts({ maxElements: 0.5 }));
    expect(result.ok && result.type === 'loss' && result.streamed?.file).toBe('stored.npz');
    expect(result.ok && result.type === 'loss' && Math.abs((result.loss as number) - expected)).toBeLessThan(1e-6);
  });

  it('a deflated entry (numpy.savez_compressed) is read whole; past maxElements, it is refused saying why', async () => {
    const whole = await onlyCell(npzCell('compressed.npz'), opts({}));
    expect(whole.ok && whole.type === 'loss' && whole.streamed === undefined).toBe(true);
    expect(Math.abs(((whole as LossResult).loss as number) - expected)).toBeLessThan(1e-6);
    const refused = await onlyCell(npzCell('compressed.npz'), opts({ maxElements: 10 }));
    expect(refused.ok || refused.error).toEqual({
      message:
        'compressed.npz: "logits" is compressed (numpy.savez_compressed), so it is read whole, and its 12 elements are over the 10 elements a tensor read whole may have: save it with numpy.savez (stored arrays are read in place) or raise it with the setting ceLab.limits.maxElements or the CLI flag --max-elements.',
      path: ['cells', 0, 'logits', 'npz'],
    });
  });

  it('an array the .npz does not have is named, with those it has', async () => {
    const text = npzCell('stored.npz').replace('"key":"logits"', '"key":"scores"');
    const result = await onlyCell(text, opts({ maxElements: 0.5 }));
    expect(result.ok || result.error).toEqual({
      message: 'stored.npz has no array "scores"; its arrays are: "logits", "targets".',
      path: ['cells', 0, 'logits', 'key'],
    });
  });
});

describe('class names', () => {
  it("byte-level tokens read as text: 'Ġthe' as ' the', 'Ċ' as ⏎, UTF-8 across bytes", () => {
    expect(readableToken('Ġthe')).toBe(' the');
    expect(readableToken('ĊĊ')).toBe('⏎⏎');
    expect(readableToken('Ã©')).toBe('é');
    expect(readableToken('hello')).toBe('hello');
  });

  it('a tokenizer.json vocabulary is indexed by token id', async () => {
    const tokenizer = JSON.stringify({ model: { vocab: { Ġdog: 2, cat: 0, Ċ: 1 } } });
    const result = await streamedCell({ classes: { file: 'tokenizer.json' } }, options({ 'tokenizer.json': new TextEncoder().encode(tokenizer) }));
    const names = new Map(result.streamed!.stats.worst.map((w) => [w.target, w.targetName]));
    for (const [t, name] of names) expect(name).toBe(['cat', '⏎', ' dog'][t]);
  });
});

// Hard limits and honest errors (issue 9): every bomb the fuzzer found is refused
// before any allocation, at the JSON path of the value at fault, naming the limit
// and how to raise it; prototype names, bad .npy headers and deep nesting give
// clear errors; no message is a JavaScript error.
import { describe, expect, it } from 'vitest';
import type { EvaluateOptions } from '../../core/evaluate';
import { DEFAULT_LIMITS, LIMIT_INFO, LIMIT_NAMES, settingOf, type LimitName } from '../../core/limits';
import { cliCells, collect, type CliCell } from '../helpers/run';
import { jsErrorIn } from '../helpers/jsErrors';
import { npyBytes } from '../helpers/npyWriter';
import { smallTrainCell } from '../helpers/smallTrainCell';
import { zipSync } from 'fflate';
import { parseSafetensors } from '../../core/safetensors';
import { safetensorsBytes } from '../../core/safetensorsWrite';
import packageJson from '../../package.json';

const scenario = (...cells: object[]) => ({ version: 1, dtype: 'float32', cells });
const lossOf = (logits: unknown, target: unknown = [0], extra: object = {}) => ({ type: 'loss', id: 'l', logits, target, ...extra });

/** Runs one scenario and returns its first cell (or the file error), timing it. */
async function first(doc: object | string, options: EvaluateOptions = {}) {
  const cells = await cliCells(doc, options);
  return { cell: cells[0], cells };
}

function expectRefused(cell: CliCell, path: unknown[], limit: LimitName): void {
  expect(cell.ok).toBe(false);
  expect(cell.error.path).toEqual(path);
  expect(cell.error.message).toContain(settingOf(limit));
  expect(cell.error.message).toContain(LIMIT_INFO[limit].flag);
  expect(jsErrorIn(cell.error.message)).toBeNull();
}

describe('bombs are refused at once, at the value that exceeds a limit', () => {
  it.each<[string, object, unknown[], LimitName]>([
    ['layers [2, 1e4, 1e4, 2]', smallTrainCell({ model: { layers: [2, 1e4, 1e4, 2] } }), ['cells', 0, 'model', 'layers', 1], 'maxLayerWidth'],
    ['layers [2, 1e5, 1e5, 2]', smallTrainCell({ model: { layers: [2, 1e5, 1e5, 2] } }), ['cells', 0, 'model', 'layers', 1], 'maxLayerWidth'],
    ['layers [1e6, 1e6]', smallTrainCell({ model: { layers: [1e6, 1e6] } }), ['cells', 0, 'model', 'layers', 0], 'maxLayerWidth'],
    ['a width of 2^31', smallTrainCell({ model: { layers: [2, 2 ** 31, 3] } }), ['cells', 0, 'model', 'layers', 1], 'maxLayerWidth'],
    ['too many parameters', smallTrainCell({ model: { layers: [2, 4000, 4000, 3] } }), ['cells', 0, 'model', 'layers'], 'maxParameters'],
    ['random [10000, 10000]', lossOf({ random: { shape: [10000, 10000] } }), ['cells', 0, 'logits', 'random', 'shape'], 'maxElements'],
    ['random [3, 1e9]', lossOf({ random: { shape: [3, 1e9] } }), ['cells', 0, 'logits', 'random', 'shape'], 'maxElements'],
    ['random [1e308, 1e308]', lossOf({ random: { shape: [1e308, 1e308] } }), ['cells', 0, 'logits', 'random', 'shape'], 'maxElements'],
    ['random with 100 dimensions', lossOf({ random: { shape: new Array(100).fill(1) } }), ['cells', 0, 'logits', 'random', 'shape'], 'maxDepth'],
    [
      'dataset n = 1e308',
      smallTrainCell({ data: { dataset: 'moons', n: 1e308 }, model: { layers: [2, 2] } }),
      ['cells', 0, 'data', 'n'],
      'maxSamples',
    ],
    ['blobs n = 125000', smallTrainCell({ data: { dataset: 'blobs', n: 125000 } }), ['cells', 0, 'data', 'n'], 'maxSamples'],
    ['training steps 1e9', smallTrainCell({ steps: 1e9 }), ['cells', 0, 'steps'], 'maxTrainSteps'],
    [
      'steps × batch × parameters',
      smallTrainCell({ model: { layers: [2, 256, 256, 3] }, data: { dataset: 'blobs', n: 2000 }, steps: 20000 }),
      ['cells', 0, 'steps'],
      'maxWork',
    ],
  ])('%s', async (_name, cell, path, limit) => {
    const { cell: result } = await first(scenario(cell));
    expectRefused(result, path, limit);
  });

  it.each([1e9, 1e7])('a sweep of %d points', async (steps) => {
    const { cells } = await first(scenario(lossOf([1, 2], 0), { type: 'sweep', of: 'l', param: 'temperature', from: 0.5, to: 2, steps }));
    expectRefused(cells[1], ['cells', 1, 'steps'], 'maxSweepSteps');
  });

  it('a sweep whose points × logits is too much work', async () => {
    const { cells } = await first(scenario(lossOf([[1, 2, 3]], [0]), { type: 'sweep', of: 'l', param: 'temperature', from: 1, to: 2, steps: 1000 }), {
      limits: { maxWork: 29_999 },
    });
    expectRefused(cells[1], ['cells', 1, 'steps'], 'maxWork');
  });

  it('a sweep keeping every per-element loss counts them against the run', async () => {
    const logits = { random: { shape: [100, 2] } };
    const { cells } = await first(
      scenario(lossOf(logits, { random: { shape: [100], classes: 2 } }, { reduction: 'none' }), {
        type: 'sweep',
        of: 'l',
        param: 'temperature',
        from: 1,
        to: 2,
        steps: 5000,
      }),
      // 300 elements of inputs, then 5000 points × 100 losses.
      { limits: { maxTotalElements: 100_000 } },
    );
    expectRefused(cells[1], ['cells', 1, 'steps'], 'maxTotalElements');
  });

  it('the elements of all tensors of a run count together', async () => {
    const big = (id: string) => ({ type: 'loss', id, logits: { random: { shape: [10, 9] } }, target: { random: { shape: [10], classes: 9 } } });
    // Each cell holds 100 elements (logits and target); the fifth brings the run over 400.
    const { cells } = await first(scenario(big('a'), big('b'), big('c'), big('d'), big('e')), { limits: { maxTotalElements: 400 } });
    expect(cells.slice(0, 4).every((c) => c.ok)).toBe(true);
    expectRefused(cells[4], ['cells', 4, 'logits', 'random', 'shape'], 'maxTotalElements');
  });

  it('a bad lr is reported before any weights are built, even with the limits raised', async () => {
    const limits = { maxLayerWidth: 1e5, maxParameters: 1e9, maxTotalElements: 1e9, maxWork: 1e15 };
    const { cell } = await first(
      scenario(smallTrainCell({ model: { layers: [2, 1e4, 1e4, 2] }, data: { dataset: 'moons' }, optimizer: { type: 'sgd', lr: -1 } })),
      { limits },
    );
    expect(cell.error).toEqual({ message: expect.stringContaining('Invalid learning rate: -1'), path: ['cells', 0, 'optimizer', 'lr'] });
  });

  it('logits nested 3000 deep', async () => {
    let logits: unknown = 1;
    for (let i = 0; i < 3000; i++) logits = [logits];
    const { cell } = await first(scenario(lossOf(logits)));
    expectRefused(cell, ['cells', 0, 'logits', ...new Array(DEFAULT_LIMITS.maxDepth - 3).fill(0)], 'maxDepth');
  });

  it('100,000 levels of nesting outside the cells are a file error', async () => {
    const text = `{"cells": [], "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const events = await collect(text);
    expect(events[0]).toMatchObject({ kind: 'file-error', error: { message: expect.stringContaining(settingOf('maxDepth')) } });
  });

  it('a scenario with more cells than the limit', async () => {
    const events = await collect(JSON.stringify(scenario(...new Array(11).fill({ type: 'markdown', text: '' }))), { limits: { maxCells: 10 } });
    expect(events).toEqual([
      {
        kind: 'file-error',
        error: { message: expect.stringContaining(settingOf('maxCells')), path: ['cells'], limits: [{ setting: settingOf('maxCells'), needed: 11 }] },
      },
    ]);
  });

  it('a scenario text longer than the file limit', async () => {
    const events = await collect(JSON.stringify(scenario({ type: 'markdown', text: 'x'.repeat(200) })), { limits: { maxFileBytes: 100 } });
    expect(events).toEqual([{ kind: 'file-error', error: { message: expect.stringContaining(settingOf('maxFileBytes')), path: [] } }]);
  });

  it('raising a limit lets the same value through', async () => {
    const cell = lossOf({ random: { shape: [4, 3] } }, [0, 1, 2, 0]);
    expectRefused((await first(scenario(cell), { limits: { maxElements: 11 } })).cell, ['cells', 0, 'logits', 'random', 'shape'], 'maxElements');
    expect((await first(scenario(cell), { limits: { maxElements: 12 } })).cell.ok).toBe(true);
  });

  it('blobs of 125,000 samples train when the limit allows it (no spread of the rows)', async () => {
    const { cell } = await first(scenario(smallTrainCell({ data: { dataset: 'blobs', n: 125000 }, steps: 1 })), { limits: { maxSamples: 125000 } });
    expect(cell.ok).toBe(true);
  });
});

describe('prototype names are not numbers', () => {
  it.each(['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'])('%s in a tensor is an error at its path', async (name) => {
    const { cell } = await first(scenario(lossOf([[name, 1]])));
    expect(cell.error).toEqual({ message: `Expected a number (or "inf", "-inf", "nan"), got "${name}".`, path: ['cells', 0, 'logits', 0, 0] });
  });

  it.each(['temperature', 'label_smoothing', 'ignore_index'])('"valueOf" as %s names the value, not a function', async (field) => {
    const { cell } = await first(scenario(lossOf([[0, 1]], [0], { [field]: 'valueOf' })));
    expect(cell.error.path).toEqual(['cells', 0, field]);
    expect(cell.error.message).toContain('"valueOf"');
    expect(jsErrorIn(cell.error.message)).toBeNull();
  });

  it('"constructor" as a cell type or a dataset name is an unknown name', async () => {
    const { cells } = await first(scenario({ type: 'constructor' }, smallTrainCell({ data: { dataset: 'constructor' } })));
    expect(cells[0].error.path).toEqual(['cells', 0, 'type']);
    expect(cells[1].error.path).toEqual(['cells', 1, 'data', 'dataset']);
  });

  it('an inherited "npy" or "random" key is not a tensor source', async () => {
    const { cell } = await first(scenario(lossOf({ toString: 1 })));
    expect(cell.error.message).toContain('Expected a tensor');
  });
});

/** A .npy file whose header says `shape` (written as is) over `dataBytes` bytes of data. */
function npyWithShape(shape: string, dataBytes: number): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

describe('.npy headers are checked in full', () => {
  const withFile = (bytes: Uint8Array): EvaluateOptions => ({ loadNpy: async () => bytes });
  it.each([
    ['abc,5', 80, 'size 0 is "abc"'],
    ['inf,', 8, 'size 0 is "inf"'],
    ['-4, 5', 160, 'size 0 is -4'],
    ['2.5, 2', 40, 'size 0 is "2.5"'],
    ['-2,-5', 80, 'size 0 is -2'],
    ['2, 3', 40, 'truncated'],
    ['2, 3', 56, 'the header and the data disagree'],
    ['99999999999, 99999999999', 8, 'truncated'],
    [new Array(100).fill('1').join(', '), 8, settingOf('maxDepth')],
    ['3000, 3000', 72_000_000, settingOf('maxElements')],
  ])('shape (%s) with %d bytes of data', async (shape, dataBytes, message) => {
    const { cell } = await first(scenario(lossOf({ npy: 'x.npy' })), withFile(npyWithShape(shape, dataBytes)));
    expect(cell.error).toMatchObject({ message: expect.stringContaining(message), path: ['cells', 0, 'logits', 'npy'] });
    expect(jsErrorIn(cell.error.message)).toBeNull();
  });

  it('a header longer than the file', async () => {
    const bytes = npyBytes('<f8', [1], [1]);
    new DataView(bytes.buffer).setUint16(8, 60000, true);
    const { cell } = await first(scenario(lossOf({ npy: 'x.npy' })), withFile(bytes));
    expect(cell.error.message).toContain('the file ends before that');
  });

  it('a good file still reads', async () => {
    const { cell } = await first(scenario(lossOf({ npy: 'x.npy' }, 1)), withFile(npyBytes('<f4', [3], [1, 2, 3])));
    expect(cell.ok).toBe(true);
  });

  it('the loader is told the file size limit', async () => {
    let asked = 0;
    await first(scenario(lossOf({ npy: 'x.npy' })), {
      limits: { maxFileBytes: 1234 },
      loadNpy: async (_p, _j, maxBytes) => ((asked = maxBytes), npyBytes('<f4', [3], [1, 2, 3])),
    });
    expect(asked).toBe(1234);
  });
});

describe('.npz and .safetensors arrays are held to the same limits', () => {
  const withFile = (bytes: Uint8Array): EvaluateOptions => ({ loadNpy: async () => bytes });
  // Over a limit lowered for the test, so the files stay small.
  const limits = { maxElements: 1000 };
  const big = new Array(1001).fill(0);

  it('a .safetensors tensor over the element limit is refused at the file, before its data is read', async () => {
    const bytes = safetensorsBytes({ x: { dtype: 'F32', shape: [1001], values: big } });
    const { cell } = await first(scenario(lossOf({ safetensors: 'm.safetensors', key: 'x' })), { ...withFile(bytes), limits });
    expectRefused(cell, ['cells', 0, 'logits', 'safetensors'], 'maxElements');
  });

  it('a .npz array over the element limit is refused at the file', async () => {
    const bytes = zipSync({ 'x.npy': npyBytes('<f4', [1001], big) });
    const { cell } = await first(scenario(lossOf({ npz: 'm.npz', key: 'x' })), { ...withFile(bytes), limits });
    expectRefused(cell, ['cells', 0, 'logits', 'npz'], 'maxElements');
  });

  it('a .npz array larger than the file limit is refused before it is inflated', async () => {
    const bytes = zipSync({ 'x.npy': npyBytes('<f8', [2000], new Array(2000).fill(0)) });
    const { cell } = await first(scenario(lossOf({ npz: 'm.npz', key: 'x' })), { ...withFile(bytes), limits: { maxFileBytes: 10_000 } });
    expect(cell.error.message).toContain('more than the 10000 CE Lab reads');
  });

  it.each(['constructor', 'toString', '__proto__'])('key %j is a missing tensor, not a prototype property', async (key) => {
    const bytes = safetensorsBytes({ x: { dtype: 'F32', shape: [1], values: [1] } });
    const { cell } = await first(scenario(lossOf({ safetensors: 'm.safetensors', key })), withFile(bytes));
    expect(cell.error).toEqual({
      message: `m.safetensors has no tensor ${JSON.stringify(key)}; its tensors are: "x".`,
      path: ['cells', 0, 'logits', 'key'],
    });
  });

  it('dtype "constructor" is an unsupported dtype', () => {
    const json = new TextEncoder().encode(JSON.stringify({ x: { dtype: 'constructor', shape: [1], data_offsets: [0, 4] } }));
    const bytes = new Uint8Array(8 + json.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    expect(() => parseSafetensors(bytes, 'x')).toThrow('tensor "x" is constructor; CE Lab reads F64, F32, F16, BF16, I64 and I32');
  });
});

describe('small wording fixes', () => {
  it('a duplicate default id points at the cell, which has no id field', async () => {
    const { cells } = await first(scenario({ type: 'markdown', id: 'cell-1' }, { type: 'markdown' }));
    expect(cells[1].error).toEqual({
      message: expect.stringContaining('This cell has no id, so it is called "cell-1", but cell 0 already uses that id'),
      path: ['cells', 1],
    });
  });

  it('an unsupported version says what it got', async () => {
    const events = await collect(JSON.stringify({ version: [1], cells: [] }));
    expect(events[0]).toMatchObject({
      kind: 'file-error',
      error: { message: 'Unsupported version: this CE Lab reads scenario version 1, got an array.', path: ['version'] },
    });
  });

  it('no cell with an id, in a scenario without cells', async () => {
    const events = await collect(JSON.stringify({ cells: [] }), { cellId: 'x' });
    expect(events[0]).toMatchObject({ kind: 'file-error', error: { message: 'No cell with id "x"; the scenario has no cells.' } });
  });

  it('a UTF-8 byte order mark is accepted', async () => {
    const events = await collect(`\ufeff${JSON.stringify(scenario({ type: 'markdown', text: 'hi' }))}`);
    expect(events.some((e) => e.kind === 'cell-result')).toBe(true);
  });

  it('many unknown fields give ten warnings and a count', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const events = await collect(JSON.stringify(scenario(lossOf([1, 2], 0, unknown))));
    const result = events.find((e) => e.kind === 'cell-result');
    expect(result?.kind === 'cell-result' && 'warnings' in result.result && result.result.warnings.length).toBe(11);
  });
});

describe('the limits are documented where people set them', () => {
  const properties = packageJson.contributes.configuration.properties as Record<string, { default?: unknown }>;
  it.each(LIMIT_NAMES)('%s has a VS Code setting with the engine default', (name) => {
    expect(properties[settingOf(name)]?.default).toBe(DEFAULT_LIMITS[name]);
  });
});

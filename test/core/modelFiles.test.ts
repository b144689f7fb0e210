// .npz and .safetensors tensors: numpy's own files and hand-built bytes load to
// the values they hold; broken files are clear errors naming the file, the key and the JSON path.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseNpz } from '../../core/npz';
import { parseSafetensors } from '../../core/safetensors';
import { safetensorsBytes } from '../../core/safetensorsWrite';
import { npyBytes } from '../helpers/npyWriter';
import { cliCells } from '../helpers/run';

const fixture = (name: string) => new Uint8Array(readFileSync(path.resolve(__dirname, '../fixtures/model-files', name)));
// make.py: logits[n][c] = (4n + c) / 8 − 1, targets [0, 3, 1].
const LOGITS = Array.from({ length: 12 }, (_, i) => i / 8 - 1);

/** A .safetensors file built by hand: header JSON, then raw bytes. */
function handBuilt(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('.npz written by numpy', () => {
  it.each(['stored.npz', 'compressed.npz'])('%s: float32 logits and int64 targets', (name) => {
    expect(parseNpz(fixture(name), 'logits')).toMatchObject({ shape: [3, 4], data: Float64Array.from(LOGITS) });
    expect(parseNpz(fixture(name), 'targets')).toMatchObject({ shape: [3], data: Float64Array.from([0, 3, 1]) });
  });

  it('names the arrays it has when the key is missing', () => {
    expect(() => parseNpz(fixture('compressed.npz'), 'logit')).toThrow('has no array "logit"; its arrays are: "logits", "targets", "weights"');
  });

  it('is a clear error when truncated, not a crash', () => {
    const bytes = fixture('compressed.npz');
    for (const cut of [10, 100, bytes.length - 30])
      expect(() => parseNpz(bytes.subarray(0, cut), 'logits')).toThrow(/not a readable \.npz|truncated|array "logits"/);
  });

  it('refuses an entry that claims more than it may hold before inflating it', () => {
    const bytes = zipSync({ 'logits.npy': npyBytes('<f4', [2], [1, 2]) }, { level: 0 }).slice();
    // Central directory "uncompressed size" (offset 24 of its entry) set to 4 GB − 1.
    const view = new DataView(bytes.buffer);
    const central = bytes.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 0xffffffff, true);
    expect(() => parseNpz(bytes, 'logits')).toThrow(/claims 4294967295 bytes/);
  });
});

describe('.safetensors', () => {
  it('reads F64, F32, I64 and I32 as written', () => {
    const bytes = safetensorsBytes({
      a: { dtype: 'F64', shape: [2], values: [0.1, -1e300] },
      b: { dtype: 'F32', shape: [1, 2], values: [0.5, -3] },
      c: { dtype: 'I64', shape: [3], values: [0, 7, -100] },
      d: { dtype: 'I32', shape: [], values: [42] },
    });
    expect(parseSafetensors(bytes, 'a')).toEqual({ shape: [2], data: Float64Array.from([0.1, -1e300]) });
    expect(parseSafetensors(bytes, 'b')).toEqual({ shape: [1, 2], data: Float64Array.from([0.5, -3]) });
    expect(parseSafetensors(bytes, 'c')).toEqual({ shape: [3], data: Float64Array.from([0, 7, -100]) });
    expect(parseSafetensors(bytes, 'd')).toEqual({ shape: [], data: Float64Array.from([42]) });
  });

  it('widens F16 and BF16 exactly (bit patterns from numpy / torch)', () => {
    // F16: 1.0, −2.0, 65504 (max), 2⁻²⁴ (smallest subnormal), 1/3 rounded, +inf, nan.
    const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x7c00, 0x7e00];
    // BF16: 1.0, 3.140625, −inf, 2⁻¹³³ (smallest subnormal).
    const bf16 = [0x3f80, 0x4049, 0xff80, 0x0001];
    const le = (words: number[]) => words.flatMap((w) => [w & 0xff, w >> 8]);
    const bytes = handBuilt({ h: { dtype: 'F16', shape: [7], data_offsets: [0, 14] }, b: { dtype: 'BF16', shape: [2, 2], data_offsets: [14, 22] } }, [
      ...le(f16),
      ...le(bf16),
    ]);
    expect(Array.from(parseSafetensors(bytes, 'h').data)).toEqual([1, -2, 65504, 2 ** -24, 0.333251953125, Infinity, NaN]);
    expect(parseSafetensors(bytes, 'b')).toEqual({ shape: [2, 2], data: Float64Array.from([1, 3.140625, -Infinity, 2 ** -133]) });
  });

  it('names the tensors it has when the key is missing (not __metadata__)', () => {
    const bytes = safetensorsBytes({ logits: { dtype: 'F32', shape: [1], values: [1] } }, { format: 'pt' });
    expect(() => parseSafetensors(bytes, 'labels')).toThrow('has no tensor "labels"; its tensors are: "logits"');
    expect(() => parseSafetensors(bytes, '__metadata__')).toThrow('has no tensor "__metadata__"');
  });

  it('is a clear error for a truncated file or a lying header, never a huge allocation', () => {
    const bytes = safetensorsBytes({ logits: { dtype: 'F32', shape: [4], values: [1, 2, 3, 4] } });
    expect(() => parseSafetensors(bytes.subarray(0, 5), 'logits')).toThrow(/too short/);
    expect(() => parseSafetensors(bytes.subarray(0, 40), 'logits')).toThrow(/header claims \d+ bytes but \d+ follow/);
    expect(() => parseSafetensors(bytes.subarray(0, bytes.length - 1), 'logits')).toThrow(/truncated: tensor "logits" ends at byte/);
    const huge = bytes.slice();
    new DataView(huge.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => parseSafetensors(huge, 'logits')).toThrow(/header claims 4611686018427387904 bytes/);
    const lyingShape = handBuilt({ x: { dtype: 'F64', shape: [1e6, 1e6], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => parseSafetensors(lyingShape, 'x')).toThrow(/needs 8000000000000 bytes but data_offsets give 8/);
    const negative = handBuilt({ x: { dtype: 'F64', shape: [-1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => parseSafetensors(negative, 'x')).toThrow(/shape that is not a list of sizes/);
    const unsupported = handBuilt({ x: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, [0]);
    expect(() => parseSafetensors(unsupported, 'x')).toThrow('tensor "x" is U8; CE Lab reads F64, F32, F16, BF16, I64 and I32');
  });
});

describe('model-file tensors in a scenario', () => {
  const files: Record<string, Uint8Array> = {
    'm.safetensors': safetensorsBytes({
      logits: { dtype: 'F32', shape: [3, 4], values: LOGITS },
      labels: { dtype: 'I64', shape: [3], values: [0, 3, 1] },
    }),
    'm.npz': fixture('compressed.npz'),
  };
  const loadNpy = async (relative: string) => {
    if (!(relative in files)) throw new Error(`no file at "${relative}"`);
    return files[relative];
  };
  const cell = (logits: unknown, target: unknown) => ({ version: 1, dtype: 'float64', cells: [{ type: 'loss', id: 'm', logits, target }] });

  it('gives the same loss from .safetensors, .npz and nested arrays', async () => {
    const rows = [0, 1, 2].map((n) => LOGITS.slice(4 * n, 4 * n + 4));
    const [literal] = await cliCells(cell(rows, [0, 3, 1]));
    const [st] = await cliCells(cell({ safetensors: 'm.safetensors', key: 'logits' }, { safetensors: 'm.safetensors', key: 'labels' }), { loadNpy });
    const [npz] = await cliCells(cell({ npz: 'm.npz', key: 'logits' }, { npz: 'm.npz', key: 'targets' }), { loadNpy });
    expect(st.loss).toBe(literal.loss);
    expect(npz.loss).toBe(literal.loss);
  });

  it('points a missing key at "key", listing the keys, and a missing file at the file', async () => {
    const [missingKey] = await cliCells(cell({ npz: 'm.npz', key: 'logit' }, [0, 3, 1]), { loadNpy });
    expect(missingKey.error).toEqual({
      message: 'm.npz has no array "logit"; its arrays are: "logits", "targets", "weights".',
      path: ['cells', 0, 'logits', 'key'],
    });
    const [missingFile] = await cliCells(cell({ safetensors: 'other.safetensors', key: 'logits' }, [0, 3, 1]), { loadNpy });
    expect(missingFile.error.path).toEqual(['cells', 0, 'logits', 'safetensors']);
    expect(missingFile.error.message).toContain('Cannot read other.safetensors: no file at "other.safetensors"');
    const [noKey] = await cliCells(cell({ safetensors: 'm.safetensors' }, [0, 3, 1]), { loadNpy });
    expect(noKey.error.message).toContain('needs "key"');
  });

  it('says what a file reader rejected with, when that is not an Error', async () => {
    const rejectsText = async () => Promise.reject('the host is gone');
    const [failed] = await cliCells(cell({ npz: 'm.npz', key: 'logits' }, [0, 3, 1]), { loadNpy: rejectsText });
    expect(failed.error.message).toBe('Cannot read m.npz: the host is gone.');
  });
});

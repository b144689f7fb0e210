// Writes the real-size files of `npm run bench:real` (and of the on-demand
// 1e9-element test) into a folder, from a seed: logits shaped like a trained
// model's (the target's logit raised in most rows, so accuracy and the loss are
// those of a real classifier), written row block by row block in bounded memory.
//   node scripts/realSize/writeRealSizeData.mjs DIR [--seed S] [--only imagenet|lm|huge]
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** xorshift128+ from a seed: fast, and the same values on every machine. */
function generator(seed) {
  let s0 = BigInt.asUintN(64, 0x9e3779b97f4a7c15n ^ BigInt(seed));
  let s1 = BigInt.asUintN(64, 0xbf58476d1ce4e5b9n + BigInt(seed) * 0x94d049bb133111ebn);
  // Scalar state in two 32-bit halves would be faster; a Uint32 stream from BigInt steps is fast enough for 200 M values.
  const next = () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= BigInt.asUintN(64, x << 23n);
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return Number(BigInt.asUintN(53, s1 + y)) / 2 ** 53;
  };
  return next;
}

/** A fast seeded uniform source: a Park–Miller–style LCG in float64 arithmetic, reseeded from `generator` per row. */
function rowUniform(seed) {
  let state = seed % 2147483646 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function npyHeader(descr, shape) {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - 10 - dict.length - 1) + '\n';
  const out = Buffer.alloc(10 + header.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(out);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  return out;
}

/** Rows of logits: N(0, 1.5²) noise (Irwin–Hall of 4 uniforms), the target's logit raised by a per-row margin. */
function writeRows(fd, rows, classes, targets, seed, encode) {
  const next = generator(seed);
  const perBlock = Math.max(1, Math.floor((4 << 20) / classes));
  const values = new Float32Array(perBlock * classes);
  for (let r0 = 0; r0 < rows; r0 += perBlock) {
    const r1 = Math.min(rows, r0 + perBlock);
    for (let r = r0; r < r1; r++) {
      const u = rowUniform(Math.floor(next() * 2147483646) + 1);
      const base = (r - r0) * classes;
      for (let c = 0; c < classes; c++) values[base + c] = 1.5 * 1.7320508 * (u() + u() + u() + u() - 2);
      targets[r] = Math.floor(next() * classes);
      values[base + targets[r]] += 9 * next() - 1;
    }
    writeSync(fd, encode(values.subarray(0, (r1 - r0) * classes)));
  }
}

const asFloat32 = (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
/** bfloat16, rounded to nearest even as torch's .to(torch.bfloat16) does. */
function asBfloat16(v) {
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
  const out = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const b = bits[i];
    out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return Buffer.from(out.buffer);
}

function int64Npy(file, values) {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  writeFileSync(file, Buffer.concat([npyHeader('<i8', [values.length]), Buffer.from(data.buffer)]));
}

function scenario(file, title, cell) {
  writeFileSync(file, `${JSON.stringify({ $schema: undefined, title, dtype: 'float32', cells: [{ type: 'loss', ...cell }] }, null, 2)}\n`);
}

/** 50,000 × 1,000 float32 (200 MB), int64 labels, one name per class. */
export function writeImagenet(dir, seed) {
  const [rows, classes] = [50_000, 1_000];
  const targets = new Int32Array(rows);
  const fd = openSync(path.join(dir, 'imagenet-logits.npy'), 'w');
  writeSync(fd, npyHeader('<f4', [rows, classes]));
  writeRows(fd, rows, classes, targets, seed, asFloat32);
  closeSync(fd);
  int64Npy(path.join(dir, 'imagenet-labels.npy'), targets);
  writeFileSync(path.join(dir, 'imagenet-classes.txt'), `${Array.from({ length: classes }, (_, c) => `class ${c}`).join('\n')}\n`);
  writeImagenetScenarios(dir);
}

/**
 * The ImageNet file's scenarios: the loss alone (calibration off, the work of the PyTorch peer's loss), the same with
 * label smoothing, and the default calibration on (the peer computes the same figures and fit).
 */
export function writeImagenetScenarios(dir) {
  const cell = {
    id: 'imagenet',
    logits: { npy: 'imagenet-logits.npy' },
    target: { npy: 'imagenet-labels.npy' },
    classes: { file: 'imagenet-classes.txt' },
  };
  scenario(path.join(dir, 'imagenet.ce.json'), 'ImageNet validation outputs', { ...cell, calibration: false });
  scenario(path.join(dir, 'imagenet-smoothed.ce.json'), 'ImageNet validation outputs, label smoothing 0.1', {
    ...cell,
    label_smoothing: 0.1,
    calibration: false,
  });
  scenario(path.join(dir, 'imagenet-calibrated.ce.json'), 'ImageNet validation outputs, calibrated', { ...cell, calibration: true });
}

/** 4 × 1,024 tokens over GPT-2's 50,257-token vocabulary, BF16 (412 MB), with int64 next tokens. */
export function writeLanguageModel(dir, seed) {
  const [rows, classes] = [4_096, 50_257];
  const targets = new Int32Array(rows);
  const bytes = rows * classes * 2;
  const header = Buffer.from(JSON.stringify({ logits: { dtype: 'BF16', shape: [rows, classes], data_offsets: [0, bytes] } }));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  const fd = openSync(path.join(dir, 'lm-logits.safetensors'), 'w');
  writeSync(fd, size);
  writeSync(fd, header);
  writeRows(fd, rows, classes, targets, seed + 1, asBfloat16);
  closeSync(fd);
  int64Npy(path.join(dir, 'lm-targets.npy'), targets);
  writeLanguageModelScenarios(dir);
}

/** The language-model batch's scenario: its loss alone, the peer's work. */
export function writeLanguageModelScenarios(dir) {
  scenario(path.join(dir, 'lm.ce.json'), 'A language-model batch', {
    id: 'lm',
    logits: { safetensors: 'lm-logits.safetensors', key: 'logits' },
    target: { npy: 'lm-targets.npy' },
    calibration: false,
  });
}

/** 1,000,000 × 1,000 float32: 1e9 elements, 4 GB. */
export function writeHuge(dir, seed) {
  const [rows, classes] = [1_000_000, 1_000];
  const targets = new Int32Array(rows);
  const fd = openSync(path.join(dir, 'huge-logits.npy'), 'w');
  writeSync(fd, npyHeader('<f4', [rows, classes]));
  writeRows(fd, rows, classes, targets, seed + 2, asFloat32);
  closeSync(fd);
  int64Npy(path.join(dir, 'huge-labels.npy'), targets);
  scenario(path.join(dir, 'huge.ce.json'), '1e9 logits', { id: 'huge', logits: { npy: 'huge-logits.npy' }, target: { npy: 'huge-labels.npy' } });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) throw new Error('usage: writeRealSizeData.mjs DIR [--seed S] [--only imagenet|lm|huge]');
  const option = (name, fallback) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : fallback);
  const seed = Number(option('--seed', '20261207'));
  const only = option('--only', 'imagenet,lm').split(',');
  mkdirSync(dir, { recursive: true });
  if (only.includes('imagenet')) writeImagenet(dir, seed);
  if (only.includes('lm')) writeLanguageModel(dir, seed);
  if (only.includes('huge')) writeHuge(dir, seed);
}

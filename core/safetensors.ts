// Reads one tensor of a .safetensors file: an 8-byte little-endian header size,
// a JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian data.
// F16 and BF16 are widened exactly (every half and bfloat16 value is a float32).
import type { Tensor } from './tensor';
import { messageOf } from './errorMessage';

/** A header larger than this is refused (the format's own reference reader caps it at 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

// Read with Object.hasOwn only: a dtype or key such as "constructor" must not be found on a prototype.
const ELEMENT: Record<string, { bytes: number; read: (view: DataView, offset: number) => number }> = {
  F64: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  F32: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  F16: { bytes: 2, read: (v, o) => halfToNumber(v.getUint16(o, true)) },
  BF16: { bytes: 2, read: (v, o) => bfloat16ToNumber(v.getUint16(o, true)) },
  I64: { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  I32: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
};

export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const widen = new DataView(new ArrayBuffer(4));
export function bfloat16ToNumber(bits: number): number {
  // bfloat16 is the upper half of a float32.
  widen.setUint32(0, bits << 16);
  return widen.getFloat32(0);
}

/** Thrown when the file has no tensor named `key`; the message lists those it has. */
export class MissingTensorError extends Error {}

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** The header's byte count, from the file's first 8 bytes; checked against the `fileSize` bytes the file has. */
export function safetensorsHeaderSize(first8: Uint8Array, fileSize: number): number {
  if (first8.length < 8) throw new Error(`not a .safetensors file: ${first8.length} bytes, too short for the 8-byte header size`);
  const size = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (size > BigInt(Math.min(MAX_HEADER_BYTES, fileSize - 8))) {
    throw new Error(`not a .safetensors file (or a truncated one): its header claims ${size} bytes but ${fileSize - 8} follow`);
  }
  return Number(size);
}

/** The JSON header, from its bytes (those after the first 8). */
function parseHeaderJson(bytes: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`not a .safetensors file: its header is not JSON (${messageOf(error)})`, { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error('not a .safetensors file: its header is not a JSON object');
  return header as Record<string, unknown>;
}

function checkEntry(key: string, value: unknown): Entry {
  const e = value as Partial<Entry> | null;
  const bad = (what: string) => new Error(`tensor "${key}" has ${what} in the header`);
  if (typeof e !== 'object' || e === null) throw bad('no {dtype, shape, data_offsets}');
  if (typeof e.dtype !== 'string') throw bad('no dtype');
  if (!Object.hasOwn(ELEMENT, e.dtype)) throw new Error(`tensor "${key}" is ${e.dtype}; CE Lab reads F64, F32, F16, BF16, I64 and I32`);
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw bad(`a shape that is not a list of sizes (${JSON.stringify(e.shape)})`);
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    throw bad(`data_offsets that are not [begin, end] (${JSON.stringify(offsets)})`);
  }
  return e as Entry;
}

/** Where tensor `key` lies in a file of `fileSize` bytes, from its header (the bytes after the first 8, `headerBytes` long). */
export interface SafetensorsEntry {
  shape: number[];
  dtype: SafetensorsDtype;
  /** Byte offset of its data in the file. */
  start: number;
}

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';

/** Finds and checks tensor `key`: a MissingTensorError lists the tensors there are; other Errors say what is wrong. */
export function safetensorsEntry(headerBytes: Uint8Array, key: string, fileSize: number): SafetensorsEntry {
  const header = parseHeaderJson(headerBytes);
  const dataStart = 8 + headerBytes.length;
  const keys = Object.keys(header).filter((k) => k !== '__metadata__');
  if (key === '__metadata__' || !Object.hasOwn(header, key)) {
    throw new MissingTensorError(`has no tensor "${key}"; its tensors are: ${keys.length ? keys.map((k) => JSON.stringify(k)).join(', ') : 'none'}`);
  }
  const entry = checkEntry(key, header[key]);
  const element = ELEMENT[entry.dtype];
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const [begin, end] = entry.data_offsets;
  if (end - begin !== count * element.bytes) {
    throw new Error(
      `tensor "${key}": shape [${entry.shape.join(', ')}] of ${entry.dtype} needs ${count * element.bytes} bytes but data_offsets give ${end - begin}`,
    );
  }
  if (dataStart + end > fileSize) throw new Error(`the file is truncated: tensor "${key}" ends at byte ${dataStart + end} of ${fileSize}`);
  return { shape: entry.shape, dtype: entry.dtype as SafetensorsDtype, start: dataStart + begin };
}

/** `beforeRead` gets the tensor's shape once its header entry is checked, before its data is read: it may throw to refuse it. */
export function parseSafetensors(bytes: Uint8Array, key: string, beforeRead?: (shape: number[]) => void): Tensor {
  const headerSize = safetensorsHeaderSize(bytes, bytes.length);
  const entry = safetensorsEntry(bytes.subarray(8, 8 + headerSize), key, bytes.length);
  const element = ELEMENT[entry.dtype];
  beforeRead?.(entry.shape);
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + entry.start, count * element.bytes);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = element.read(view, i * element.bytes);
  return { shape: entry.shape, data };
}

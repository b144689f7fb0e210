// A tensor left in its file (.npy or .safetensors) and read a range of values at
// a time, in its stored type: float32, F16 and BF16 become float32 (exactly) and
// are never widened to float64 unless the run's dtype is float64.
import type { FloatArray } from '../tensor';
import { npyHeaderLength, parseNpyHeader } from '../npy';
import { bfloat16ToNumber, halfToNumber, safetensorsEntry, safetensorsHeaderSize } from '../safetensors';
import { messageOf } from '../errorMessage';
import type { RangeFile } from './rangeFile';
import { zipEntry, type ZipEntry } from './zipEntries';
import { Inflate } from 'fflate';

export type StoredDtype = 'f8' | 'f4' | 'f2' | 'bf16' | 'i8' | 'i4';

const ITEM_BYTES: Record<StoredDtype, number> = { f8: 8, f4: 4, f2: 2, bf16: 2, i8: 8, i4: 4 };

/** A compressed entry's header is inflated up to this many bytes (NumPy's are a few hundred). */
const MAX_INFLATED_HEADER = 1 << 20;
/** Headers longer than this are refused before they are read (NumPy's and safetensors' are kilobytes). */
const MAX_HEADER_BYTES = 100_000_000;

export interface StoredTensor {
  file: RangeFile;
  shape: number[];
  dtype: StoredDtype;
  littleEndian: boolean;
  /** Byte offset of the first value. */
  start: number;
}

const SAFETENSORS_DTYPES: Record<string, StoredDtype> = { F64: 'f8', F32: 'f4', F16: 'f2', BF16: 'bf16', I64: 'i8', I32: 'i4' };

/** Reads and checks a .npy file's header (the data must be exactly what it promises). */
export async function openNpyTensor(file: RangeFile): Promise<StoredTensor> {
  const prefix = await file.read(0, Math.min(file.size, 12));
  const headerEnd = npyHeaderLength(prefix);
  if (headerEnd > MAX_HEADER_BYTES) throw new Error(`the .npy header claims ${headerEnd} bytes; CE Lab reads headers up to ${MAX_HEADER_BYTES}`);
  const header = parseNpyHeader(await file.read(0, Math.min(file.size, headerEnd)), file.size);
  return { file, shape: header.shape, dtype: header.kind as StoredDtype, littleEndian: header.littleEndian, start: header.dataStart };
}

/** A compressed .npz array: read whole, bounded by the limits; `shape` from its header, inflated alone. */
export class CompressedEntry {
  constructor(readonly shape: number[]) {}
}

/** The shape in the .npy header at the start of a deflated entry: only enough of it is inflated. */
async function compressedShape(file: RangeFile, entry: ZipEntry): Promise<number[]> {
  const chunks: Uint8Array[] = [];
  let inflated = 0;
  const inflate = new Inflate((chunk) => {
    chunks.push(chunk);
    inflated += chunk.length;
  });
  for (let at = 0; at < entry.compressedSize && inflated < 12 + MAX_INFLATED_HEADER; at += 65536) {
    inflate.push(await file.read(entry.dataStart + at, Math.min(65536, entry.compressedSize - at)), at + 65536 >= entry.compressedSize);
    const prefix = concat(chunks);
    if (prefix.length >= 12 && prefix.length >= npyHeaderLength(prefix))
      return parseNpyHeader(prefix.subarray(0, npyHeaderLength(prefix)), entry.size).shape;
  }
  throw new Error('its .npy header could not be inflated');
}

const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

/**
 * Array `key` of an .npz: an entry stored as numpy.savez writes it streams like a .npy; a deflated one
 * (numpy.savez_compressed) gives a CompressedEntry with its shape (it is read whole).
 */
export async function openNpzTensor(file: RangeFile, key: string): Promise<StoredTensor | CompressedEntry> {
  const entry = await zipEntry(file, `${key}.npy`);
  if (entry.method === 8) return new CompressedEntry(await compressedShape(file, entry));
  if (entry.method !== 0)
    throw new Error(
      `"${key}" is compressed with zip method ${entry.method}; only stored and deflated arrays (numpy.savez, savez_compressed) are read`,
    );
  if (entry.size !== entry.compressedSize)
    throw new Error(`"${key}" is stored but its sizes disagree (${entry.size} and ${entry.compressedSize} bytes)`);
  // The entry as a file of its own, to read its .npy header; its data is then addressed in the .npz itself.
  const inside: RangeFile = { ...file, size: entry.size, read: (offset, length) => file.read(entry.dataStart + offset, length) };
  let tensor;
  try {
    tensor = await openNpyTensor(inside);
  } catch (error) {
    throw new Error(`array "${key}": ${messageOf(error)}`, { cause: error });
  }
  return { ...tensor, file, start: entry.dataStart + tensor.start };
}

/** Reads and checks tensor `key` of a .safetensors file's header. */
export async function openSafetensorsTensor(file: RangeFile, key: string): Promise<StoredTensor> {
  const headerSize = safetensorsHeaderSize(await file.read(0, Math.min(file.size, 8)), file.size);
  const entry = safetensorsEntry(await file.read(8, headerSize), key, file.size);
  return { file, shape: entry.shape, dtype: SAFETENSORS_DTYPES[entry.dtype], littleEndian: true, start: entry.start };
}

/** `count` values from value index `first`, into `out` from `at`, rounded to `out`'s type. */
export async function readStoredValues(t: StoredTensor, first: number, count: number, out: FloatArray, at = 0): Promise<void> {
  const item = ITEM_BYTES[t.dtype];
  decodeInto(await t.file.read(t.start + first * item, count * item), t, count, out, at);
}

/** The bytes, at an offset their type can be read from (a copy when they are not). */
const aligned = (bytes: Uint8Array, item: number): Uint8Array => (bytes.byteOffset % item === 0 ? bytes : bytes.slice());

function decodeInto(bytes: Uint8Array, t: StoredTensor, count: number, out: FloatArray, at: number): void {
  if (!t.littleEndian) return decodeWithView(bytes, t, count, out, at);
  const b = aligned(bytes, ITEM_BYTES[t.dtype]);
  switch (t.dtype) {
    case 'f4':
      return out.set(new Float32Array(b.buffer, b.byteOffset, count), at);
    case 'f8':
      return out.set(new Float64Array(b.buffer, b.byteOffset, count), at);
    case 'i4':
      return out.set(new Int32Array(b.buffer, b.byteOffset, count), at);
    case 'bf16': {
      // bfloat16 is the upper half of a float32: shifted into place, exactly.
      const halves = new Uint16Array(b.buffer, b.byteOffset, count);
      if (out instanceof Float32Array) {
        const bits = new Uint32Array(out.buffer, out.byteOffset + at * 4, count);
        for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
      } else for (let i = 0; i < count; i++) out[at + i] = bfloat16ToNumber(halves[i]);
      return;
    }
    case 'f2': {
      const halves = new Uint16Array(b.buffer, b.byteOffset, count);
      for (let i = 0; i < count; i++) out[at + i] = halfToNumber(halves[i]);
      return;
    }
    default:
      return decodeWithView(bytes, t, count, out, at);
  }
}

/** Any byte order, one value at a time (big-endian files and int64). */
function decodeWithView(bytes: Uint8Array, t: StoredTensor, count: number, out: FloatArray, at: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = t.littleEndian;
  const item = ITEM_BYTES[t.dtype];
  const read: Record<StoredDtype, (o: number) => number> = {
    f8: (o) => view.getFloat64(o, le),
    f4: (o) => view.getFloat32(o, le),
    f2: (o) => halfToNumber(view.getUint16(o, le)),
    bf16: (o) => bfloat16ToNumber(view.getUint16(o, le)),
    i8: (o) => Number(view.getBigInt64(o, le)),
    i4: (o) => view.getInt32(o, le),
  };
  const one = read[t.dtype];
  for (let i = 0; i < count; i++) out[at + i] = one(i * item);
}

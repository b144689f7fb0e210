// Reads NumPy .npy bytes (format versions 1–3): float32, float64, int32, int64, C order.
// The header is checked in full before anything is allocated: the caller sees the
// shape (to check it against the limits) before the data is read.
import { numel } from './tensor';
import { checkedDims, checkDataSize } from './tensorFile';

interface NpyDtype {
  bytes: number;
  read: (view: DataView, offset: number, little: boolean) => number;
}

const DTYPES = new Map<string, NpyDtype>([
  ['f4', { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) }],
  ['f8', { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) }],
  ['i4', { bytes: 4, read: (v, o, le) => v.getInt32(o, le) }],
  ['i8', { bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) }],
]);

export interface NpyHeader {
  shape: number[];
  /** NumPy's type code without byte order: f4, f8, i4 or i8. */
  kind: string;
  littleEndian: boolean;
  /** Where the data starts in the file. */
  dataStart: number;
}

/** Python's tuple of sizes, e.g. "2, 3" or "5," or "" (a scalar). */
function shapeOf(text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  if (items.length === 1 && items[0] === '') return [];
  return checkedDims(
    items.map((s) => (/^[+-]?\d+L?$/.test(s) ? Number(s.replace('L', '')) : s)),
    `the .npy shape (${text.trim()})`,
  );
}

/**
 * Checks the magic string, version, header and that the data has exactly the size the header says.
 * `bytes` holds at least the header; `fileSize` is the whole file's (a streamed file's header is read alone).
 */
export function parseNpyHeader(bytes: Uint8Array, fileSize = bytes.length): NpyHeader {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a NumPy .npy file (the magic string \\x93NUMPY is missing)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`unsupported .npy format version ${major}.${bytes[7]} (1.0 to 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new Error('the .npy file is truncated inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new Error(`the .npy header says it is ${headerLength} bytes long, but the file ends before that`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new Error(`unreadable .npy header: ${JSON.stringify(header.trim().slice(0, 120))}`);
  const kind = descr[2];
  const dtype = DTYPES.get(kind);
  if (!dtype) throw new Error(`unsupported .npy dtype '${descr[1]}${kind}' (use float32, float64, int32 or int64)`);
  if (fortran[1] === 'True') throw new Error('Fortran-ordered .npy arrays are not supported (save with np.ascontiguousarray)');
  const shape = shapeOf(shapeText[1]);
  checkDataSize(shape, dtype.bytes, fileSize - dataStart, '.npy');
  return { shape, kind, littleEndian: descr[1] !== '>', dataStart };
}

/** The values of a checked header, as float64. */
export function readNpyData(bytes: Uint8Array, header: NpyHeader): Float64Array {
  const dtype = DTYPES.get(header.kind);
  if (!dtype) throw new Error(`unsupported .npy dtype '${header.kind}'`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = numel(header.shape);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, header.dataStart + i * dtype.bytes, header.littleEndian);
  return data;
}

/** Bytes from the start of a .npy file that hold its header: `prefix` holds at least the first 12. */
export function npyHeaderLength(prefix: Uint8Array): number {
  if (prefix.length < 12) return 12;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  return prefix[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
}

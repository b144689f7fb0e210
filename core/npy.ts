// Reads NumPy .npy bytes (format versions 1–3): float32, float64, int32, int64, C order.
import type { Tensor } from './tensor';
import { numel } from './tensor';

const DTYPES: Record<string, { bytes: number; read: (view: DataView, offset: number, little: boolean) => number }> = {
  f4: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i4: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  i8: { bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
};

export interface NpyArray extends Tensor {
  /** NumPy's type code without byte order: f4, f8, i4 or i8. */
  kind: string;
}

/** Parses a .npy file; throws an Error saying what is wrong with it. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a NumPy .npy file (the magic string \\x93NUMPY is missing)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new Error(`unreadable .npy header: ${header.trim()}`);
  const kind = descr[2];
  const dtype = DTYPES[kind];
  if (!dtype) throw new Error(`unsupported .npy dtype '${descr[1]}${kind}' (use float32, float64, int32 or int64)`);
  if (fortran[1] === 'True') throw new Error('Fortran-ordered .npy arrays are not supported (save with np.ascontiguousarray)');
  const shape = shapeText[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = numel(shape);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart + count * dtype.bytes) throw new Error(`the .npy file is truncated: shape (${shape.join(', ')}) needs ${count * dtype.bytes} bytes of data`);
  const little = descr[1] !== '>';
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataStart + i * dtype.bytes, little);
  return { shape, data, kind };
}

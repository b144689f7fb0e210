// Writes .npy bytes (format 1.0, little-endian, C order) the way numpy.save does.
export type NpyDescr = '<f4' | '<f8' | '<i4' | '<i8';

export function npyBytes(descr: NpyDescr, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads the header with spaces so the data starts on a 64-byte boundary.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const size = Number(descr.slice(2));
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const data = 10 + header.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (descr === '<f4') view.setFloat32(data + i * 4, v, true);
    else if (descr === '<f8') view.setFloat64(data + i * 8, v, true);
    else if (descr === '<i4') view.setInt32(data + i * 4, v, true);
    else view.setBigInt64(data + i * 8, BigInt(v), true);
  }
  return out;
}

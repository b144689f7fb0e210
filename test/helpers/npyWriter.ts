// Writes .npy bytes (format 1.0) the way numpy.save does, for tests.
export function npyBytes(descr: '<f4' | '<f8' | '<i4' | '<i8', shape: number[], values: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const size = Number(descr.slice(2));
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => {
    if (descr === '<f4') view.setFloat32(i * 4, v, true);
    else if (descr === '<f8') view.setFloat64(i * 8, v, true);
    else if (descr === '<i4') view.setInt32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return out;
}

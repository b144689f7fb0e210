// Writes a .safetensors file as the format's reference writer does: header
// size, JSON header padded with spaces to 8 bytes, then each tensor's data.
export interface TensorToWrite {
  dtype: 'F64' | 'F32' | 'I64' | 'I32';
  shape: number[];
  values: ArrayLike<number>;
}

const SIZES = { F64: 8, F32: 4, I64: 8, I32: 4 };

export function safetensorsBytes(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const length = t.values.length * SIZES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of Object.values(tensors)) {
    for (let i = 0; i < t.values.length; i++, at += SIZES[t.dtype]) {
      const v = t.values[i];
      if (t.dtype === 'F64') view.setFloat64(at, v, true);
      else if (t.dtype === 'F32') view.setFloat32(at, v, true);
      else if (t.dtype === 'I64') view.setBigInt64(at, BigInt(v), true);
      else view.setInt32(at, v, true);
    }
  }
  return out;
}

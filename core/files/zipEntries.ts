// Finds one entry of a zip file (an .npz) from its central directory, reading
// only the directory and the entry's local header: where a stored entry's bytes
// start, so an array saved by numpy.savez streams from the .npz like a .npy.
// ZIP64 (numpy writes it for large arrays) is read too.
import type { RangeFile } from './rangeFile';

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Byte offset of its data (after the local header). */
  dataStart: number;
}

/** Thrown when the zip has no entry of that name; the message lists the arrays it has. */
export class MissingZipEntryError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record is 22 bytes, after at most a 65,535-byte comment. */
const TAIL = 22 + 0xffff;

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/** The central directory's offset, size and entry count, from the end record (and ZIP64's where it says so). */
async function directory(file: RangeFile): Promise<{ offset: number; size: number }> {
  const tailStart = Math.max(0, file.size - TAIL);
  const tail = await file.read(tailStart, file.size - tailStart);
  const v = view(tail);
  let at = tail.length - 22;
  while (at >= 0 && v.getUint32(at, true) !== EOCD) at--;
  if (at < 0) throw new Error('not a zip file: no end of central directory record');
  let size = v.getUint32(at + 12, true);
  let offset = v.getUint32(at + 16, true);
  if ((offset === 0xffffffff || size === 0xffffffff) && at >= 20 && v.getUint32(at - 20, true) === ZIP64_LOCATOR) {
    const record = view(await file.read(u64(v, at - 20 + 8), 56));
    if (record.getUint32(0, true) !== ZIP64_EOCD) throw new Error('not a readable zip file: its ZIP64 end record is missing');
    size = u64(record, 40);
    offset = u64(record, 48);
  }
  if (offset + size > file.size) throw new Error(`the zip file is truncated: its directory ends at byte ${offset + size} of ${file.size}`);
  return { offset, size };
}

/** Sizes and offset of an entry, from its ZIP64 extra field where the 32-bit ones are 0xFFFFFFFF. */
function zip64Values(extra: DataView, values: { size: number; compressedSize: number; localOffset: number }): void {
  for (let at = 0; at + 4 <= extra.byteLength;) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
        if (values[key] !== 0xffffffff) continue;
        values[key] = u64(extra, field);
        field += 8;
      }
      return;
    }
    at += 4 + length;
  }
}

/** The entry called `name`, with where its data starts; MissingZipEntryError lists the names there are. */
export async function zipEntry(file: RangeFile, name: string): Promise<ZipEntry> {
  const { offset, size } = await directory(file);
  const bytes = await file.read(offset, size);
  const v = view(bytes);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let at = 0; at + 46 <= bytes.length;) {
    if (v.getUint32(at, true) !== CENTRAL) throw new Error('not a readable zip file: its central directory is damaged');
    const nameLength = v.getUint16(at + 28, true);
    const extraLength = v.getUint16(at + 30, true);
    const commentLength = v.getUint16(at + 32, true);
    const entryName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    names.push(entryName);
    if (entryName === name) {
      const values = { compressedSize: v.getUint32(at + 20, true), size: v.getUint32(at + 24, true), localOffset: v.getUint32(at + 42, true) };
      zip64Values(new DataView(bytes.buffer, bytes.byteOffset + at + 46 + nameLength, extraLength), values);
      const local = view(await file.read(values.localOffset, 30));
      if (local.getUint32(0, true) !== LOCAL) throw new Error(`not a readable zip file: the local header of "${name}" is missing`);
      const dataStart = values.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
      if (dataStart + values.compressedSize > file.size) throw new Error(`the zip file is truncated: "${name}" ends past its end`);
      return { name, method: v.getUint16(at + 10, true), compressedSize: values.compressedSize, size: values.size, dataStart };
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  const arrays = names.map((n) => JSON.stringify(n.replace(/\.npy$/, ''))).join(', ');
  throw new MissingZipEntryError(`has no array "${name.replace(/\.npy$/, '')}"; its arrays are: ${arrays || 'none'}`);
}

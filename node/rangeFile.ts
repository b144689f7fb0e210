// Node's RangeFile: a regular file opened once and read in ranges. Its size and
// modification time are taken when it is opened and checked after every read,
// so a file rewritten while a run reads it fails that run ("changed while
// reading") instead of mixing two versions.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FileChangedError, type RangeFile } from '../core/files/rangeFile';
import { FileReadError, kindOf, openError } from './boundedFile';

export async function openRangeFile(file: string, name: string): Promise<RangeFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openError(error);
  }
  const opened = await handle.stat();
  if (!opened.isFile()) {
    await handle.close();
    throw new FileReadError(`it is ${kindOf(opened)}, not a regular file`);
  }
  const { size, mtimeMs } = opened;
  const unchanged = async () => {
    const now = await handle.stat();
    if (now.size !== size || now.mtimeMs !== mtimeMs) throw new FileChangedError(name);
  };
  return {
    name,
    path: file,
    size,
    version: `${size}:${mtimeMs}`,
    async read(offset, length) {
      if (offset + length > size) throw new Error(`${name} ends at byte ${size}, before byte ${offset + length}`);
      const bytes = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, offset + filled);
        if (bytesRead === 0) throw new FileChangedError(name);
        filled += bytesRead;
      }
      await unchanged();
      return bytes;
    },
    close: () => handle.close(),
  };
}

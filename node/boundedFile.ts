// Reads a file only when it is a regular file no larger than a limit. Opened
// non-blocking, so a named pipe is refused at once instead of waiting for a
// writer; the size is taken from the open file, so it cannot change under us.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileTooBig } from '../core/limits';

/** What a non-regular file is, for messages. */
export function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** An Error whose message a person can read; `code` is the errno name where there is one. */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Why a file could not be opened, readable. */
export function openError(error: unknown): FileReadError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENXIO'
          ? 'it is a socket, not a regular file'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'cannot open it');
  return new FileReadError(reason, code);
}

/** The bytes of `file`; rejects with a FileReadError for a missing file, a non-regular file, or one over `maxBytes`. */
export async function readBoundedRegularFile(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openError(error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FileReadError(`it is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) {
      throw new FileReadError(fileTooBig(stats.size, maxBytes));
    }
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

// Reads one array of a NumPy .npz (a zip of .npy files, stored by numpy.savez,
// deflated by numpy.savez_compressed). The zip and inflate work is fflate's.
import { unzipSync } from 'fflate';
import { parseNpyHeader, readNpyData } from './npy';
import type { Tensor } from './tensor';
import { messageOf } from './errorMessage';

/** Larger arrays are refused before anything is inflated (a zip can claim any size). */
const MAX_ARRAY_BYTES = 256 * 1024 * 1024;

export interface NpzOptions {
  /** The largest array (inflated .npy) read; default 256 MiB. */
  maxArrayBytes?: number;
  /** Called with the array's shape once its header is checked, before its data is read: may throw to refuse it. */
  beforeRead?: (shape: number[]) => void;
}

/** The array names of an .npz: its entries without the .npy suffix. */
function keysOf(bytes: Uint8Array): string[] {
  const keys: string[] = [];
  unzipSync(bytes, {
    filter: (file) => {
      keys.push(file.name.replace(/\.npy$/, ''));
      return false;
    },
  });
  return keys;
}

/** Thrown when the .npz has no array named `key`; the message lists those it has. */
export class MissingKeyError extends Error {}

export function parseNpz(bytes: Uint8Array, key: string, options: NpzOptions = {}): Tensor {
  const maxArrayBytes = options.maxArrayBytes ?? MAX_ARRAY_BYTES;
  let entry: Uint8Array | undefined;
  let keys: string[];
  try {
    keys = keysOf(bytes);
    const wanted = `${key}.npy`;
    const found = unzipSync(bytes, {
      filter: (file) => {
        if (file.name !== wanted) return false;
        if (file.compression !== 0 && file.compression !== 8)
          throw new Error(
            `"${key}" is compressed with zip method ${file.compression}; only stored and deflated arrays (numpy.savez, savez_compressed) are read`,
          );
        if (file.originalSize > maxArrayBytes)
          throw new Error(`"${key}" claims ${file.originalSize} bytes, more than the ${maxArrayBytes} CE Lab reads`);
        return true;
      },
    });
    entry = found[wanted];
  } catch (error) {
    const message = messageOf(error);
    throw new Error(/^"/.test(message) ? message : `not a readable .npz (zip) file: ${message}`, { cause: error });
  }
  if (!entry)
    throw new MissingKeyError(`has no array "${key}"; its arrays are: ${keys.length ? keys.map((k) => JSON.stringify(k)).join(', ') : 'none'}`);
  let header;
  try {
    header = parseNpyHeader(entry);
  } catch (error) {
    throw new Error(`array "${key}": ${messageOf(error)}`, { cause: error });
  }
  options.beforeRead?.(header.shape);
  return { shape: header.shape, data: readNpyData(entry, header) };
}

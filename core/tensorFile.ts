// Checks shared by every tensor file format (.npy, and others read the same way):
// the sizes a header gives are non-negative integers, and the data the header
// promises is exactly the data the file holds, computed without overflow.
import { formatShape } from './tensor';

/** The sizes of a header as numbers; throws an Error naming `what` and the first size that is not a non-negative integer. */
export function checkedDims(dims: readonly unknown[], what: string): number[] {
  return dims.map((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      const shown = typeof d === 'string' ? JSON.stringify(d) : typeof d === 'bigint' ? `${d}` : String(d);
      throw new Error(`${what}: size ${i} is ${shown}, not a non-negative integer`);
    }
    return d;
  });
}

/**
 * Checks that `available` bytes hold exactly the elements of `shape` at `itemBytes` each.
 * The product is taken in floating point, so a huge shape compares as huge instead of overflowing.
 */
export function checkDataSize(shape: readonly number[], itemBytes: number, available: number, format: string): void {
  let needed = itemBytes;
  for (const d of shape) needed *= d;
  if (needed > available) {
    throw new Error(`the ${format} file is truncated: shape ${formatShape(shape)} needs ${needed} bytes of data, the file has ${available}`);
  }
  if (needed < available) {
    throw new Error(
      `the ${format} file holds ${available} bytes of data, but shape ${formatShape(shape)} takes ${needed}: the header and the data disagree`,
    );
  }
}

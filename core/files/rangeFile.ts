// A file read in pieces: what a tensor file too large to hold whole is streamed
// from. The engine touches no file system; the runner hands it an opener (Node:
// node/rangeFile.ts; anywhere else: a file already in memory, bytesAsRangeFile).

export interface RangeFile {
  /** The path as the scenario writes it, for messages. */
  readonly name: string;
  readonly size: number;
  /** Size and modification time when opened: results computed from this file are kept under it. */
  readonly version: string;
  /** Its path on this machine, where the runner has one: a helper thread opens it again (node/streamHelper.ts). */
  readonly path?: string;
  /** Exactly `length` bytes from `offset`; rejects when the file is shorter, or changed since it was opened. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens a file named in the scenario (relative to it, inside the workspace); rejects with a readable message. */
export type RangeFileOpener = (relativePath: string) => Promise<RangeFile>;

/** Thrown when a file's size or modification time moved while it was read. */
export class FileChangedError extends Error {
  constructor(name: string) {
    super(`${name} changed while reading it (its size or modification time moved); run again once it is written`);
  }
}

/** A file already in memory (a runner that can only read whole files). */
export function bytesAsRangeFile(name: string, bytes: Uint8Array): RangeFile {
  return {
    name,
    size: bytes.length,
    version: `${bytes.length}`,
    read: async (offset, length) => {
      if (offset + length > bytes.length) throw new Error(`${name} ends at byte ${bytes.length}, before byte ${offset + length}`);
      return bytes.subarray(offset, offset + length);
    },
    close: async () => {},
  };
}

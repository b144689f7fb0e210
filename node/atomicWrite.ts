// Writes a file so that a reader sees either the old file or the whole new one, never a part: the bytes go to a
// hidden sibling first, which is then renamed over the target (rename is atomic within a folder).
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(partial, bytes, { flag: 'wx' });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

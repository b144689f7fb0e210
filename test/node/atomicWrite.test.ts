import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../node/atomicWrite';

function folder(): string {
  return mkdtempSync(path.join(tmpdir(), 'ce-lab-atomic-'));
}

describe('writeFileAtomically', () => {
  it('replaces the target with the whole new bytes and leaves nothing beside it', async () => {
    const dir = folder();
    const target = path.join(dir, 'cell.json');
    writeFileSync(target, 'old contents, longer than the new ones');
    // A reader that opened the file before the write goes on reading the old file whole, never a mix.
    const reader = openSync(target, 'r');
    await writeFileAtomically(target, new TextEncoder().encode('{"ok":true}'));
    expect(readFileSync(reader, 'utf8')).toBe('old contents, longer than the new ones');
    closeSync(reader);
    expect(readFileSync(target, 'utf8')).toBe('{"ok":true}');
    expect(readdirSync(dir)).toEqual(['cell.json']);
  });

  it('on a failed rename keeps what was there and removes its partial file', async () => {
    const dir = folder();
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside.txt'), 'kept');
    await expect(writeFileAtomically(target, new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(path.join(target, 'inside.txt'), 'utf8')).toBe('kept');
  });
});

// The CLI under hostile input (issue 9): bombs refused in time with exit 1,
// memory and time limits fail the running cell (never SIGABRT), only regular
// files are read, BOM and bad UTF-8, EPIPE, terminal escapes, many cells.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { npyBytes } from '../../core/npyWrite';
import { jsErrorIn } from '../helpers/jsErrors';
import { bundleForNode } from '../helpers/nodeBundle';
import { smallTrainCell } from '../helpers/smallTrainCell';

const work = mkdtempSync(path.join(tmpdir(), 'ce-lab-cli-limits-'));
const cli = path.join(work, 'cli.js');
const project = path.join(work, 'project');

beforeAll(async () => {
  await bundleForNode(path.resolve(__dirname, '../../node/cli.ts'), cli);
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'package.json'), '{}');
});

function file(name: string, content: unknown): string {
  const target = path.join(project, name);
  writeFileSync(target, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return target;
}

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const cells = (...list: object[]) => ({ version: 1, cells: list });

describe('ce-lab run refuses bombs with exit 1 and a clear message', () => {
  it.each([
    ['random [10000, 10000]', { type: 'loss', logits: { random: { shape: [10000, 10000] } }, target: [0] }, '--max-elements'],
    ['a sweep of 1e9 points', { type: 'sweep', of: 'l', param: 'temperature', from: 0.5, to: 2, steps: 1e9 }, '--max-sweep-steps'],
    ['layers [2, 100000, 100000, 2]', smallTrainCell({ model: { layers: [2, 100000, 100000, 2] } }), '--max-layer-width'],
    ['dataset n = 1e308', smallTrainCell({ data: { dataset: 'moons', n: 1e308 }, model: { layers: [2, 2] } }), '--max-samples'],
  ])('%s', (name, cell, flag) => {
    const scenario = file(`bomb-${name.replace(/\W+/g, '-')}.ce.json`, cells({ type: 'loss', id: 'l', logits: [1, 2], target: 0 }, cell));
    const { code, stdout } = run('run', scenario, '--json');
    expect(code).toBe(1);
    const failed = JSON.parse(stdout).cells.find((c: { ok: boolean }) => !c.ok);
    expect(failed.error.message).toContain(flag);
    expect(jsErrorIn(failed.error.message)).toBeNull();
  });

  it('a cell that runs out of the heap fails with that reason, exit 1, and the next cell does not run', () => {
    // Millions of elements: their per-element results are JS arrays on the heap (N×C tensors are typed arrays, outside it).
    const big = { type: 'loss', id: 'big', logits: { random: { shape: [3_000_000, 2] } }, target: { random: { shape: [3_000_000], classes: 2 } } };
    const scenario = file('oom.ce.json', cells({ type: 'markdown', id: 'intro', text: 'hi' }, big, { type: 'markdown', id: 'after' }));
    const { code, signal, stdout, stderr } = run(
      'run',
      scenario,
      '--json',
      '--max-memory-mb',
      '64',
      '--max-elements',
      '1e8',
      '--max-total-elements',
      '1e9',
    );
    expect(signal).toBeNull();
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.cells.map((c: { id: string }) => c.id)).toEqual(['intro', 'big']);
    expect(doc.cells[1]).toMatchObject({ ok: false, error: { message: expect.stringContaining('ran out of memory'), path: ['cells', 1] } });
    expect(doc.cells[1].error.message).toContain('--max-memory-mb');
    expect(stderr).toContain('cell "big" ran out of memory');
  });

  it('--timeout stops the running cell with exit 1', () => {
    const scenario = file('slow.ce.json', cells(smallTrainCell({ id: 'slow', steps: 10_000_000 })));
    const { code, stdout } = run('run', scenario, '--json', '--timeout', '1', '--max-train-steps', '1e8', '--max-work', '1e15');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).cells[0]).toMatchObject({
      id: 'slow',
      ok: false,
      error: { message: expect.stringContaining('did not finish within 1 s') },
    });
  });

  it.each([
    ['--max-elements', 'lots'],
    ['--max-elements', '-1'],
    ['--timeout', ''],
    ['--max-memory-mb', '0'],
  ])('a bad flag value %s %j exits 2 before anything runs', (flag, value) => {
    const { code, stderr } = run('run', file('ok.ce.json', cells()), flag, value);
    expect(code).toBe(2);
    expect(stderr).toContain(flag);
  });

  it('a limit flag changes the limit', () => {
    const scenario = file('small.ce.json', cells({ type: 'loss', logits: [[1, 2, 3]], target: [0] }));
    expect(run('run', scenario, '--max-elements=2').code).toBe(1);
    expect(run('run', scenario, '--max-elements', '3').code).toBe(0);
  });
});

describe('files', () => {
  it('a named pipe as a tensor file is refused at once', () => {
    const fifo = path.join(project, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    const { code, stdout } = run('run', file('fifo.ce.json', cells({ type: 'loss', logits: { npy: 'pipe.npy' }, target: [0] })), '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).cells[0].error).toEqual({
      message: 'Cannot read pipe.npy: it is a named pipe, not a regular file.',
      path: ['cells', 0, 'logits', 'npy'],
    });
  });

  it('a named pipe as the scenario is refused with exit 2', () => {
    const fifo = path.join(project, 'pipe.ce.json');
    execFileSync('mkfifo', [fifo]);
    const { code, stderr } = run('run', fifo);
    expect(code).toBe(2);
    expect(stderr).toContain('it is a named pipe, not a regular file');
  });

  it('a scenario over the size limit is refused before it is read', () => {
    const { code, stderr } = run('run', file('big.ce.json', cells({ type: 'markdown', text: 'x'.repeat(5000) })), '--max-file-bytes', '1000');
    expect(code).toBe(2);
    expect(stderr).toContain('the limit is 1,000 bytes per file');
  });

  it('a tensor file is read in place whatever its size; a compressed one read whole is bounded by --max-file-bytes', () => {
    // 1,200 logits in a 4,928-byte .npy: read by range, so --max-file-bytes 1000 does not apply.
    writeFileSync(path.join(project, 'big.npy'), npyBytes('<f4', [1, 1200], new Float32Array(1200)));
    const inPlace = run(
      'run',
      file('bignpy.ce.json', cells({ type: 'loss', logits: { npy: 'big.npy' }, target: [0] })),
      '--json',
      '--max-file-bytes',
      '1000',
    );
    expect(inPlace.code).toBe(0);
    // The same logits deflated in an .npz (numpy.savez_compressed) are read whole: over the limit, refused, naming the flag.
    writeFileSync(
      path.join(project, 'big.npz'),
      zipSync({ 'logits.npy': [npyBytes('<f4', [1, 1200], Float32Array.from({ length: 1200 }, Math.random)), { level: 6 }] }),
    );
    const { code, stdout } = run(
      'run',
      file('bignpz.ce.json', cells({ type: 'loss', logits: { npz: 'big.npz', key: 'logits' }, target: [0] })),
      '--json',
      '--max-file-bytes',
      '1000',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout).cells[0].error.message).toContain('--max-file-bytes');
  });

  it('a UTF-8 byte order mark is accepted', () => {
    const scenario = file('bom.ce.json', `\ufeff${JSON.stringify(cells({ type: 'loss', logits: [1, 2], target: 0 }))}`);
    expect(run('run', scenario).code).toBe(0);
  });

  it('invalid UTF-8 is an error naming the byte and its offset', () => {
    const bytes = Buffer.concat([Buffer.from('{"title": "caf'), Buffer.from([0xe9]), Buffer.from('", "cells": []}')]);
    const { code, stderr } = run('run', file('latin1.ce.json', bytes));
    expect(code).toBe(2);
    expect(stderr).toContain('not valid UTF-8: byte 0xE9 at offset 14 (line 1)');
  });
});

describe('output', () => {
  it('a reader that closes the pipe early ends the run quietly with status 0', () => {
    const scenario = file(
      'long-output.ce.json',
      cells(...Array.from({ length: 2000 }, (_, i) => ({ type: 'loss', id: `c${i}`, logits: [[1, 2, 3]], target: [0] }))),
    );
    const result = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${cli}" run "${scenario}" --json | head -c 100 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`,
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr.trim()).toBe('status 0');
  });

  it('control characters in ids and titles are escaped in the summary', () => {
    const scenario = file('ansi.ce.json', { title: 'a\u001b[31mred', cells: [{ type: 'markdown', id: '\u001b[2J\u009bX\u202e' }] });
    const { code, stdout } = run('run', scenario);
    expect(code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
    expect(stdout).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(stdout).toContain('a\\x1b[31mred');
    expect(stdout).toContain('\\x1b[2J\\x9bX\\u202e');
  });

  it('--json stays one strict-JSON document with the raw controls escaped', () => {
    const scenario = file('ansi-json.ce.json', {
      title: 't\u009b',
      cells: [
        { type: 'markdown', id: 'a\u001b' },
        { type: 'loss', id: 'b', logits: [1, 2], target: 0 },
      ],
    });
    const { code, stdout } = run('run', scenario, '--json');
    expect(code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
    expect(stdout).not.toMatch(/[\u001b\u009b]/);
    const doc = JSON.parse(stdout);
    expect(doc.title).toBe('t\u009b');
    expect(doc.cells.map((c: { id: string }) => c.id)).toEqual(['a\u001b', 'b']);
  });

  it('100,000 cells run, each once, in order', () => {
    const markdown = (n: number) =>
      file(`many-${n}.ce.json`, cells(...Array.from({ length: n }, (_, i) => ({ type: 'markdown', id: `m${i}`, text: 'x' }))));
    const large = run('run', markdown(100_000), '--json');
    expect(large.code).toBe(0);
    const ids = JSON.parse(large.stdout).cells.map((c: { id: string }) => c.id);
    expect(ids).toEqual(Array.from({ length: 100_000 }, (_, i) => `m${i}`));
  });
});

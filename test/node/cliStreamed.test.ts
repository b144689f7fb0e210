// `ce-lab run` on a logits file past maxElements: it streams; --json carries
// per-row facts and no N×C tensors; --tensors writes probs, log_probs and grad
// as .npy files equal, bit for bit, to those of the same cell held whole.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpyHeader, readNpyData } from '../../core/npy';
import { npyBytes } from '../../core/npyWrite';
import { bundleForNode } from '../helpers/nodeBundle';

const work = mkdtempSync(path.join(tmpdir(), 'ce-lab-cli-streamed-'));
const cli = path.join(work, 'cli.js');
const [N, C, D] = [40, 6, 9]; // (N, C, D): K-dim, blocks of positions inside a sample at small block sizes

beforeAll(async () => {
  await bundleForNode(path.resolve(__dirname, '../../node/cli.ts'), cli);
  const logits = Array.from({ length: N * C * D }, (_, i) => 3 * Math.cos(i * 1.618));
  writeFileSync(path.join(work, 'logits.npy'), npyBytes('<f4', [N, C, D], logits));
  writeFileSync(
    path.join(work, 'labels.npy'),
    npyBytes(
      '<i8',
      [N, D],
      Array.from({ length: N * D }, (_, i) => (i % 11 === 4 ? -100 : i % C)),
    ),
  );
  const cell = {
    type: 'loss',
    id: 'seg',
    logits: { npy: 'logits.npy' },
    target: { npy: 'labels.npy' },
    label_smoothing: 0.1,
    weight: [1, 2, 0.5, 1, 1, 3],
  };
  writeFileSync(path.join(work, 'seg.ce.json'), JSON.stringify({ cells: [cell] }));
});

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tensor = (file: string) => {
  const bytes = new Uint8Array(readFileSync(file));
  return Array.from(readNpyData(bytes, parseNpyHeader(bytes)));
};

describe('ce-lab run on a streamed cell', () => {
  it('--json: the loss of the cell held whole, per-row facts, no N×C tensors', () => {
    const streamed = JSON.parse(run('run', path.join(work, 'seg.ce.json'), '--json', '--max-elements', '1000').stdout).cells[0];
    const whole = JSON.parse(run('run', path.join(work, 'seg.ce.json'), '--json').stdout).cells[0];
    expect(streamed.loss).toBe(whole.loss);
    expect(streamed.per_sample).toEqual(whole.per_sample);
    expect(streamed.probs).toBeUndefined();
    expect(streamed.streamed.per_row.rank).toHaveLength(N * D);
    expect(whole.streamed).toBeUndefined();
  });

  it('--tensors writes the N×C tensors, bit for bit those of the cell held whole', () => {
    const [a, b] = [mkdtempSync(path.join(work, 'a-')), mkdtempSync(path.join(work, 'b-'))];
    const streamed = run('run', path.join(work, 'seg.ce.json'), '--tensors', a, '--max-elements', '1000');
    expect(streamed.code).toBe(0);
    expect(streamed.stderr).toContain(`wrote ${path.join(a, 'seg.grad.npy')}`);
    expect(run('run', path.join(work, 'seg.ce.json'), '--tensors', b).code).toBe(0);
    for (const name of ['probs', 'log_probs', 'grad']) {
      const file = `seg.${name}.npy`;
      expect(tensor(path.join(a, file)), name).toEqual(tensor(path.join(b, file)));
      expect(tensor(path.join(a, file))).toHaveLength(N * C * D);
    }
  });
});

// Two threads give the same bits as one: a streamed pass with the helper thread
// (its share of the blocks into shared memory) against the same pass in one
// thread, every per-element array compared, and the same for the calibration
// passes; a file touched in between fails.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropKeptCalibration, streamedCalibration } from '../../core/calibration/streamedCalibration';
import { openNpyTensor } from '../../core/files/storedTensor';
import { streamCrossEntropy } from '../../core/nn/streamedCrossEntropy';
import type { StreamedArgs, StreamedPass } from '../../core/nn/streamedPass';
import { npyBytes } from '../../core/npyWrite';
import { tensor } from '../../core/tensor';
import { openRangeFile } from '../../node/rangeFile';
import { nodePassHelper } from '../../node/streamHelper';
import { bundleForNode } from '../helpers/nodeBundle';

const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-helper-'));
const file = path.join(dir, 'logits.npy');
const [N, C, D] = [300, 50, 7];
let script: string;

beforeAll(async () => {
  // The CLI's bundle: a thread of it started with the helper's workerData runs the helper.
  script = await bundleForNode(path.resolve(__dirname, '../../node/cli.ts'));
  writeFileSync(
    file,
    npyBytes(
      '<f4',
      [N, C, D],
      Array.from({ length: N * C * D }, (_, i) => 4 * Math.sin(i * 0.77) + (i % 13 === 0 ? 9 : 0)),
    ),
  );
});

async function drain(steps: AsyncGenerator<number, StreamedPass>): Promise<StreamedPass> {
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
  }
}

async function argsFor(dtype: 'float32' | 'float64'): Promise<StreamedArgs> {
  return {
    logits: await openNpyTensor(await openRangeFile(file, 'logits.npy')),
    target: tensor(
      [N, D],
      Array.from({ length: N * D }, (_, e) => (e % 9 === 0 ? -100 : (e * 7) % C)),
    ),
    weight: tensor(
      [C],
      Array.from({ length: C }, (_, c) => 0.5 + (c % 3)),
    ),
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0.1,
    gradOutput: null,
    temperature: 0.8,
    dtype,
  };
}

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : v));

describe('a streamed pass over two threads', () => {
  it.each(['float32', 'float64'] as const)('%s: every per-element array equals the one-thread pass, bit for bit', async (dtype) => {
    const helper = nodePassHelper(script, 1000);
    const [oneArgs, args] = [await argsFor(dtype), await argsFor(dtype)];
    try {
      const one = await drain(streamCrossEntropy(oneArgs, undefined, 4096));
      expect(helper.accepts(args)).toBe(true);
      const two = await drain(streamCrossEntropy(args, undefined, 4096, helper));
      expect(two.shift.buffer).toBeInstanceOf(SharedArrayBuffer);
      for (const key of ['shift', 'logSum', 'topClass', 'rank', 'probAtTarget', 'entropy'] as const)
        expect(bits(two[key]), key).toEqual(bits(one[key]));
      expect(bits(two.terms.nll)).toEqual(bits(one.terms.nll));
      expect(bits(two.terms.smooth)).toEqual(bits(one.terms.smooth));
    } finally {
      helper.close();
      await Promise.all([oneArgs.logits.file.close(), args.logits.file.close()]);
    }
  });

  it.each(['float32', 'float64'] as const)('%s: the calibration passes give the figures and the fit of one thread, bit for bit', async (dtype) => {
    const helper = nodePassHelper(script, 1000);
    const args = await argsFor(dtype);
    try {
      const pass = await drain(streamCrossEntropy(args, undefined, 4096));
      dropKeptCalibration();
      const one = await streamedCalibration(args.logits, pass, 0.8, 15);
      let shares = 0;
      const counting = { ...helper, calibrate: (share: Parameters<typeof helper.calibrate>[0]) => (shares++, helper.calibrate(share)) };
      dropKeptCalibration();
      const two = await streamedCalibration(args.logits, pass, 0.8, 15, undefined, counting);
      expect(shares).toBe(one.temperature.passes); // the pass at the cell's T is the fit's first
      expect(two).toEqual(one);
    } finally {
      helper.close();
      await args.logits.file.close();
    }
  });

  it('a file touched after it was opened fails the pass with "changed while reading"', async () => {
    const helper = nodePassHelper(script, 1000);
    const args = await argsFor('float32');
    try {
      const later = new Date(Date.now() + 60_000);
      utimesSync(file, later, later);
      await expect(drain(streamCrossEntropy(args, undefined, 4096, helper))).rejects.toThrow('logits.npy changed while reading it');
    } finally {
      helper.close();
      await args.logits.file.close();
    }
  });
});

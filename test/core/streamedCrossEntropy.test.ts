// A loss cell streamed from its file gives the whole-tensor pass's numbers bit
// for bit (loss, per-element losses, p(target), and a row's softmax and
// gradient fetched on demand), over both kernel sets, with blocks that end
// inside the K-dim layout. Ranks, top classes and entropies are checked against
// definitions written out here.
import { describe, expect, it } from 'vitest';
import { at, layoutOf } from '../../core/compute/layout';
import { bytesAsRangeFile } from '../../core/files/rangeFile';
import { openNpyTensor, type StoredTensor } from '../../core/files/storedTensor';
import { crossEntropy } from '../../core/nn/crossEntropy';
import { blocksOf } from '../../core/nn/streamBlocks';
import { streamCrossEntropy, streamedLoss } from '../../core/nn/streamedCrossEntropy';
import type { StreamedArgs, StreamedPass } from '../../core/nn/streamedPass';
import { blockTensors } from '../../core/nn/streamedTensors';
import { npyBytes } from '../../core/npyWrite';
import type { Dtype } from '../../core/results';
import { elementDetail } from '../../core/scenario/streamedLossResult';
import type { StreamedLossInput } from '../../core/scenario/streamedLossCell';
import { tensor, type Tensor } from '../../core/tensor';
import { describeEachKernelSet } from '../helpers/kernelSets';

/** A small seeded generator (not the code under test's). */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function drain<T>(steps: AsyncGenerator<number, T>): Promise<T> {
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
  }
}

interface Case {
  shape: number[];
  reduction: string;
  weight: boolean;
  ignore: boolean;
  labelSmoothing: number;
  temperature: number;
  extreme: boolean;
}

const SHAPES = [
  [37, 11],
  [5, 7, 13],
  [3, 6, 4, 5],
  [2, 300],
];
/** 50 values a block: blocks of 4 samples of 11, of 7 positions of a 7 × 13 sample, of 8 positions of a 6 × 20 one. */
const BLOCK = 50;

const CASES: Case[] = SHAPES.flatMap((shape, i) => [
  { shape, reduction: 'mean', weight: false, ignore: false, labelSmoothing: 0, temperature: 1, extreme: false },
  { shape, reduction: 'mean', weight: true, ignore: true, labelSmoothing: 0.1, temperature: 0.7, extreme: i === 0 },
  { shape, reduction: 'sum', weight: false, ignore: true, labelSmoothing: 0.3, temperature: 1, extreme: false },
  { shape, reduction: 'none', weight: true, ignore: false, labelSmoothing: 0, temperature: 2.5, extreme: false },
]);

function inputsOf(c: Case, seed: number): { logits: number[]; target: Tensor; weight: Tensor | null } {
  const next = lcg(seed);
  const L = layoutOf(c.shape);
  const logits = Array.from({ length: L.outer * L.classes * L.inner }, () => 6 * (next() - 0.5));
  if (c.extreme) Object.assign(logits, { 3: Infinity, 17: -Infinity, 40: NaN, 60: 1e30 });
  const targetShape = [c.shape[0], ...c.shape.slice(2)];
  const target = tensor(
    targetShape,
    Array.from({ length: L.outer * L.inner }, (_, e) => (c.ignore && e % 5 === 2 ? -100 : Math.floor(next() * L.classes))),
  );
  const weight = c.weight
    ? tensor(
        [L.classes],
        Array.from({ length: L.classes }, () => 0.2 + next()),
      )
    : null;
  return { logits, target, weight };
}

function stored(shape: number[], logits: number[], dtype: Dtype): Promise<StoredTensor> {
  return openNpyTensor(bytesAsRangeFile('logits.npy', npyBytes(dtype === 'float32' ? '<f4' : '<f8', shape, logits)));
}

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));

describeEachKernelSet('a streamed loss cell', () => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    it.each(CASES.map((c, i) => [`${c.shape.join('×')} ${c.reduction} w=${c.weight} ls=${c.labelSmoothing} T=${c.temperature}`, c, i] as const))(
      '%s: equal to the whole tensor bit for bit',
      async (_name, c, i) => {
        const { logits, target, weight } = inputsOf(c, 1000 + i);
        const args: StreamedArgs = {
          logits: await stored(c.shape, logits, dtype),
          target,
          weight,
          ignoreIndex: -100,
          reduction: c.reduction,
          labelSmoothing: c.labelSmoothing,
          gradOutput: null,
          temperature: c.temperature,
          dtype,
        };
        const whole = crossEntropy({ ...args, input: tensor(c.shape, logits) });
        const pass = await drain(streamCrossEntropy(args, undefined, BLOCK));
        expect(blocksOf(pass.layout, BLOCK).length).toBeGreaterThan(1);
        const { loss, perElement } = streamedLoss(pass, c.labelSmoothing);
        expect(bits(loss.data)).toEqual(bits(whole.loss.data));
        expect(bits(perElement.data)).toEqual(bits(whole.perElement.data));
        checkFacts(pass, whole, logits, target, c, dtype);
        await checkDetails(pass, args, whole, target, weight, c);
      },
    );
  });
});

/** Top class, rank and p(target) against their definitions, entropy against −Σ p log p of the whole pass's softmax. */
function checkFacts(pass: StreamedPass, whole: ReturnType<typeof crossEntropy>, logits: number[], target: Tensor, c: Case, dtype: Dtype): void {
  const L = pass.layout;
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  for (let e = 0; e < L.outer * L.inner; e++) {
    const x = Array.from({ length: L.classes }, (_, k) => round(round(logits[at(L, e, k)]) / c.temperature));
    let top = 0;
    for (let k = 1; k < x.length; k++) if (x[k] > x[top]) top = k;
    const hasNaN = x.some(Number.isNaN);
    if (!hasNaN) expect(pass.topClass[e]).toBe(top);
    const t = target.data[e];
    if (t < 0) {
      expect(pass.rank[e]).toBe(-1);
      continue;
    }
    if (!hasNaN) expect(pass.rank[e]).toBe(x.filter((v) => v > x[t]).length);
    expect(bits([pass.probAtTarget[e]])).toEqual(bits([whole.probs.data[at(L, e, t)]]));
    if (!x.every(Number.isFinite)) continue;
    let entropy = 0;
    for (let k = 0; k < L.classes; k++) {
      const p = whole.probs.data[at(L, e, k)];
      if (p > 0) entropy -= p * whole.logProbs.data[at(L, e, k)];
    }
    expect(Math.abs(pass.entropy[e] - entropy)).toBeLessThanOrEqual(dtype === 'float32' ? 2e-5 * Math.max(1, entropy) : 1e-12 * Math.max(1, entropy));
  }
}

/** Rows fetched on demand: softmax, log-softmax and gradient, the whole pass's rows bit for bit. */
async function checkDetails(
  pass: StreamedPass,
  args: StreamedArgs,
  whole: ReturnType<typeof crossEntropy>,
  target: Tensor,
  weight: Tensor | null,
  c: Case,
): Promise<void> {
  const L = pass.layout;
  const array = (t: Tensor) => ({ tensor: t, written: 'array' as const, pathOf: () => [] });
  const input: StreamedLossInput = {
    path: ['cells', 0],
    logitsPath: ['cells', 0, 'logits', 'npy'],
    logits: args.logits,
    target: array(target),
    weight: weight && array(weight),
    gradOutput: null,
    ignoreIndex: -100,
    reduction: c.reduction,
    labelSmoothing: c.labelSmoothing,
    temperature: c.temperature,
    classes: null,
    calibration: { kind: 'off' },
    dtype: args.dtype,
  };
  // Every block again (what --tensors writes): the whole pass's tensors, value for value.
  const probs = new Float64Array(whole.probs.data.length);
  const logProbs = new Float64Array(whole.probs.data.length);
  const grad = new Float64Array(whole.probs.data.length);
  for (const block of pass.blocks) {
    const t = await blockTensors(pass, args, block);
    for (let e = block.e0; e < block.e1; e++) {
      const local = e - block.e0;
      const base = Math.floor(local / block.layout.inner) * L.classes * block.layout.inner + (local % block.layout.inner);
      for (let k = 0; k < L.classes; k++) {
        probs[at(L, e, k)] = t.probs[base + k * block.layout.inner];
        logProbs[at(L, e, k)] = t.logProbs[base + k * block.layout.inner];
        grad[at(L, e, k)] = t.grad[base + k * block.layout.inner];
      }
    }
  }
  expect(bits(probs)).toEqual(bits(whole.probs.data));
  expect(bits(logProbs)).toEqual(bits(whole.logProbs.data));
  expect(bits(grad)).toEqual(bits(whole.grad.data));
  for (const e of [0, 1, L.outer * L.inner - 1]) {
    const detail = await elementDetail(input, pass, e);
    const row = (data: ArrayLike<number>) => Array.from({ length: L.classes }, (_, k) => data[at(L, e, k)]);
    expect(bits(detail.grad)).toEqual(bits(row(whole.grad.data)));
    expect(bits(detail.probs)).toEqual(bits(row(whole.probs.data)));
    expect(bits(detail.logProbs)).toEqual(bits(row(whole.logProbs.data)));
  }
}

describe('blocks of a file', () => {
  it('cover every element once, in order, whole elements only', () => {
    for (const shape of [...SHAPES, [1, 3, 1000], [4, 100000]]) {
      const L = layoutOf(shape);
      const list = blocksOf(L, BLOCK);
      let next = 0;
      for (const block of list) {
        expect(block.e0).toBe(next);
        expect(block.values).toBe((block.e1 - block.e0) * L.classes);
        next = block.e1;
      }
      expect(next).toBe(L.outer * L.inner);
    }
  });
});

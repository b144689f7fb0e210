import { afterEach, describe, expect, it } from 'vitest';
import { unfilledFloatArray, useUnfilledMemory } from '../../core/compute/unfilledArrays';
import { nodeUnfilledMemory, useNodeMemory } from '../../node/unfilledMemory';
import { crossEntropy } from '../../core/nn/crossEntropy';
import { tensor } from '../../core/tensor';

describe("Node's unfilled memory", () => {
  afterEach(() => useUnfilledMemory(null));

  it('gives each array a buffer of its own, of exactly its size', () => {
    useUnfilledMemory(nodeUnfilledMemory);
    const a = unfilledFloatArray('float32', 100_000);
    const b = unfilledFloatArray('float64', 100_000);
    expect(a).toBeInstanceOf(Float32Array);
    expect(b).toBeInstanceOf(Float64Array);
    expect([a.length, a.buffer.byteLength, b.length, b.buffer.byteLength]).toEqual([100_000, 400_000, 100_000, 800_000]);
    a.fill(1);
    b.fill(2);
    expect(a.every((v) => v === 1) && b.every((v) => v === 2)).toBe(true);
  });

  it('leaves small arrays to the ordinary, zero-filled allocation', () => {
    useUnfilledMemory(nodeUnfilledMemory);
    const small = unfilledFloatArray('float64', nodeUnfilledMemory.fromBytes / 8 - 1);
    expect(small.every((v) => v === 0)).toBe(true);
  });

  it('gives a whole gradient on recycled memory: a call after one that left other values behind', () => {
    useNodeMemory();
    // (2, 3, 2000): softmax over 3 classes at each of 2000 positions; logits 0 everywhere, so p = 1/3 and
    // with mean reduction the gradient is (1/3 − [c = t]) / 4000 (PyTorch: softmax − one-hot, over N·d).
    const shape = [2, 3, 2000];
    const target = tensor([2, 2000]);
    for (let i = 0; i < 4; i++) {
      const noise = tensor(shape);
      noise.data.fill(1e30 * (i + 1));
      crossEntropy({ input: noise, target, dtype: 'float64' });
    }
    const { grad } = crossEntropy({ input: tensor(shape), target, dtype: 'float64' });
    const expected = (c: number) => (1 / 3 - (c === 0 ? 1 : 0)) / 4000;
    const wrong = Array.from(grad.data).findIndex((g, i) => Math.abs(g - expected(Math.floor(i / 2000) % 3)) > 1e-18);
    expect(wrong).toBe(-1);
  });
});

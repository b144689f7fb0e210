// torch.manual_seed(seed) + nn.Linear layers: every value bit for bit as PyTorch's float32.
import { describe, expect, it } from 'vitest';
import { torchLinearInit } from '../../core/nn/init';
import { golden } from '../helpers/golden';

describe('torch_seed initialisation', () => {
  it.each(golden.init_cases.map((c) => [c.seed, JSON.stringify(c.layers), c] as const))('seed %i, layers %s', (_seed, _layers, c) => {
    const widths = [c.layers[0][0], ...c.layers.map((l) => l[1])];
    const layers = torchLinearInit(c.seed, widths);
    // toEqual on numbers compares exactly: these are float32 values widened to double.
    expect(layers).toEqual(c.expected);
  });
});

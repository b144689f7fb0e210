// fast-check generators of small train cells: nn.Linear stacks with each
// activation, SGD / Adam / AdamW with their options, full and mini-batches.
import fc from 'fast-check';
import type { Dtype } from './lossCases';

export interface TrainCase {
  dtype: Dtype;
  cell: Record<string, unknown>;
}

const sgdArb = fc
  .record({
    lr: fc.double({ min: 0.001, max: 0.3, noNaN: true }),
    momentum: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.95, noNaN: true })),
    dampening: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
    nesterov: fc.boolean(),
    weight_decay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
  })
  .map((o) => ({ type: 'sgd', ...o, nesterov: o.nesterov && o.momentum > 0 && o.dampening === 0 }));

const adamArb = fc.record({
  type: fc.constantFrom('adam', 'adamw'),
  lr: fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
  betas: fc.tuple(fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.double({ min: 0.9, max: 0.9999, noNaN: true })),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  weight_decay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
});

export const trainCaseArb: fc.Arbitrary<TrainCase> = fc
  .record({
    dtype: fc.constantFrom<Dtype>('float32', 'float64'),
    widths: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }), fc.integer({ min: 2, max: 4 })),
    activation: fc.constantFrom('relu', 'tanh', 'sigmoid', 'gelu'),
    seed: fc.integer({ min: 0, max: 10_000 }),
    n: fc.integer({ min: 1, max: 8 }),
    optimizer: fc.oneof(sgdArb, adamArb),
    steps: fc.integer({ min: 1, max: 25 }),
    batch: fc.option(fc.integer({ min: 1, max: 8 })),
    reduction: fc.constantFrom('mean', 'sum'),
    labelSmoothing: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true })),
    weighted: fc.boolean(),
  })
  .chain((o) => {
    const [inputs, , classes] = o.widths;
    return fc.record({
      o: fc.constant(o),
      x: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: inputs, maxLength: inputs }), {
        minLength: o.n,
        maxLength: o.n,
      }),
      target: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: o.n, maxLength: o.n }),
      weight: fc.array(fc.double({ min: 0.2, max: 2, noNaN: true }), { minLength: classes, maxLength: classes }),
    });
  })
  .map(({ o, x, target, weight }) => {
    const [inputs, hidden, classes] = o.widths;
    const loss: Record<string, unknown> = { reduction: o.reduction };
    if (o.labelSmoothing !== null) loss.label_smoothing = o.labelSmoothing;
    if (o.weighted) loss.weight = weight;
    return {
      dtype: o.dtype,
      cell: {
        type: 'train',
        id: 'case',
        model: { layers: [inputs, ...hidden, classes], activation: o.activation, init: { torch_seed: o.seed } },
        data: { x, target },
        optimizer: o.optimizer,
        loss,
        steps: o.steps,
        ...(o.batch === null ? {} : { batch_size: Math.min(o.batch, o.n) }),
      },
    };
  });

// Properties of cross-entropy checked over random configurations (fast-check),
// and float64 gradients checked against central finite differences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy, type CrossEntropyArgs } from '../../core/nn/crossEntropy';
import { tensor } from '../../core/tensor';
import { describeEachKernelSet } from '../helpers/kernelSets';

interface Config {
  n: number;
  c: number;
  spatial: number[];
  logits: number[];
  probsTarget: boolean;
  targetSeed: number[];
  weighted: boolean;
  weights: number[];
  ignoreSome: boolean;
  reduction: 'none' | 'mean' | 'sum';
  labelSmoothing: number;
  temperature: number;
  upstream: number[];
}

const config = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    c: fc.integer({ min: 1, max: 5 }),
    spatial: fc.oneof(fc.constant([] as number[]), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 })),
  })
  .chain(({ n, c, spatial }) => {
    const elements = n * spatial.reduce((a, b) => a * b, 1);
    const values = (count: number, min: number, max: number) =>
      fc.array(fc.double({ min, max, noNaN: true }), { minLength: count, maxLength: count });
    return fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      spatial: fc.constant(spatial),
      logits: values(elements * c, -5, 5),
      probsTarget: fc.boolean(),
      targetSeed: values(elements * c, 0.01, 1),
      weighted: fc.boolean(),
      weights: values(c, 0.1, 3),
      ignoreSome: fc.boolean(),
      reduction: fc.constantFrom('none' as const, 'mean' as const, 'sum' as const),
      labelSmoothing: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      temperature: fc.oneof(fc.constant(1), fc.double({ min: 0.2, max: 5, noNaN: true })),
      upstream: values(elements, -2, 2),
    });
  });

function argsOf(cfg: Config, logits = cfg.logits): CrossEntropyArgs {
  const shape = [cfg.n, cfg.c, ...cfg.spatial];
  const elements = cfg.n * cfg.spatial.reduce((a, b) => a * b, 1);
  const inner = elements / cfg.n;
  let target;
  if (cfg.probsTarget) {
    // Rows of the target normalised to sum to 1, laid out like the logits.
    const data = new Array(elements * cfg.c).fill(0);
    for (let e = 0; e < elements; e++) {
      const row = Array.from({ length: cfg.c }, (_, k) => cfg.targetSeed[e * cfg.c + k]);
      const total = row.reduce((a, b) => a + b, 0);
      row.forEach((v, k) => (data[(Math.floor(e / inner) * cfg.c + k) * inner + (e % inner)] = v / total));
    }
    target = tensor(shape, data);
  } else {
    const classes = Array.from({ length: elements }, (_, e) => Math.floor(cfg.targetSeed[e] * cfg.c * 0.999));
    if (cfg.ignoreSome && elements > 1) classes[0] = -100;
    target = tensor([cfg.n, ...cfg.spatial], classes);
  }
  return {
    input: tensor(shape, logits),
    target,
    weight: cfg.weighted ? tensor([cfg.c], cfg.weights) : null,
    reduction: cfg.reduction,
    labelSmoothing: cfg.labelSmoothing,
    temperature: cfg.temperature,
    gradOutput: cfg.reduction === 'none' ? tensor([cfg.n, ...cfg.spatial], cfg.upstream) : null,
    dtype: 'float64',
  };
}

/** The scalar whose gradient backward() computes: Σ grad_output · loss. */
function objective(cfg: Config, logits: number[]): number {
  const result = crossEntropy(argsOf(cfg, logits));
  if (cfg.reduction !== 'none') return result.loss.data[0];
  return Array.from(result.loss.data).reduce((acc, v, e) => acc + v * cfg.upstream[e], 0);
}

describeEachKernelSet('properties', () => {
  describe('cross_entropy properties (float64)', () => {
    it('gradients match central finite differences for every option', () => {
      fc.assert(
        fc.property(config, (cfg) => {
          const grad = crossEntropy(argsOf(cfg)).grad.data;
          const h = 1e-6;
          cfg.logits.forEach((_, i) => {
            const up = [...cfg.logits];
            const down = [...cfg.logits];
            up[i] += h;
            down[i] -= h;
            const numeric = (objective(cfg, up) - objective(cfg, down)) / (2 * h);
            expect(Math.abs(numeric - grad[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
          });
        }),
        { numRuns: 300 },
      );
    });

    it('is invariant to adding a constant to every logit of a sample', () => {
      fc.assert(
        fc.property(config, fc.double({ min: -50, max: 50, noNaN: true }), (cfg, shift) => {
          const base = crossEntropy(argsOf(cfg)).loss.data;
          const shifted = crossEntropy(
            argsOf(
              cfg,
              cfg.logits.map((v) => v + shift),
            ),
          ).loss.data;
          base.forEach((v, i) => expect(Math.abs(shifted[i] - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
        }),
        { numRuns: 300 },
      );
    });

    it('gives probabilities that sum to 1 over the classes', () => {
      fc.assert(
        fc.property(config, (cfg) => {
          const { probs, layout } = crossEntropy(argsOf(cfg));
          for (let o = 0; o < layout.outer; o++) {
            for (let s = 0; s < layout.inner; s++) {
              let total = 0;
              for (let c = 0; c < layout.classes; c++) total += probs.data[(o * layout.classes + c) * layout.inner + s];
              expect(Math.abs(total - 1)).toBeLessThan(1e-12);
            }
          }
        }),
        { numRuns: 300 },
      );
    });

    it('gives gradient rows that sum to 0 when the target rows sum to 1 and nothing is weighted or ignored', () => {
      fc.assert(
        fc.property(config, (cfg) => {
          const plain = { ...cfg, weighted: false, ignoreSome: false };
          const { grad, layout } = crossEntropy(argsOf(plain));
          for (let o = 0; o < layout.outer; o++) {
            for (let s = 0; s < layout.inner; s++) {
              let total = 0;
              for (let c = 0; c < layout.classes; c++) total += grad.data[(o * layout.classes + c) * layout.inner + s];
              expect(Math.abs(total)).toBeLessThan(1e-12);
            }
          }
        }),
        { numRuns: 300 },
      );
    });

    it('equals −log softmax of the target for one sample without options (independent formula)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.nat(), (logits, pick) => {
          const t = pick % logits.length;
          const max = Math.max(...logits);
          const expected = -(logits[t] - max - Math.log(logits.reduce((a, v) => a + Math.exp(v - max), 0)));
          const loss = crossEntropy({ input: tensor([1, logits.length], logits), target: tensor([1], [t]), dtype: 'float64' }).loss.data[0];
          expect(Math.abs(loss - expected)).toBeLessThan(1e-12 * Math.max(1, expected));
        }),
      );
    });
  });
});

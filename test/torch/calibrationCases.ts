// Random loss cells that ask for calibration: N×C logits at a random
// sharpness, labels mostly the top class (so over- and under-confident cells
// both occur), some rows at ignore_index, a random number of bins; and how
// two sets of calibration figures are compared.
import fc from 'fast-check';
import { FLOAT64 } from '../helpers/golden';
import { compareNested, type Case } from './disagreement';
import { lcg } from '../helpers/lcg';

export interface CalibrationCase extends Case {
  bins: number;
  streamed: boolean;
}

/** N×C logits at a random sharpness; labels mostly the top class, some at ignore_index. */
export const calibrationCase: fc.Arbitrary<CalibrationCase> = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 }),
    rows: fc.integer({ min: 2, max: 300 }),
    classes: fc.integer({ min: 2, max: 12 }),
    sharpness: fc.constantFrom(0.05, 0.5, 2, 6, 20),
    agreement: fc.double({ min: 0, max: 1, noNaN: true }),
    ignored: fc.constantFrom(0, 0, 0.1),
    temperature: fc.constantFrom(1, 1, 0.4, 2.5),
    bins: fc.integer({ min: 2, max: 30 }),
    dtype: fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
    streamed: fc.boolean(),
  })
  .map((p) => {
    const next = lcg(p.seed);
    const logits = Array.from({ length: p.rows }, () => Array.from({ length: p.classes }, () => p.sharpness * (2 * next() - 1)));
    const target = logits.map((row): number => {
      if (next() < p.ignored) return -100;
      return next() < p.agreement ? row.indexOf(Math.max(...row)) : Math.floor(next() * p.classes);
    });
    if (!target.some((t) => t !== -100)) target[0] = 0;
    const cell = { type: 'loss', logits, target, temperature: p.temperature, calibration: { bins: p.bins } };
    return { dtype: p.dtype, cell, bins: p.bins, streamed: p.streamed };
  });

export const FIGURES = ['ece', 'mce', 'brier', 'nll', 'accuracy'] as const;
export type Figures = Record<(typeof FIGURES)[number], number> & { reliability: Record<string, number>[] };

export function compareFigures(label: string, engine: Figures, torch: Figures): string | null {
  for (const key of FIGURES) {
    const problem = compareNested(`${label} ${key}`, engine[key], torch[key], FLOAT64);
    if (problem) return problem;
  }
  // Edges b / B against gpleiss's torch.linspace (the last bit may differ), counts exactly.
  const edges = (r: Record<string, number>[]) => r.flatMap((b) => [b.lower, b.upper]);
  const edgeProblem = compareNested(`${label} edges`, edges(engine.reliability), edges(torch.reliability), FLOAT64);
  if (edgeProblem) return edgeProblem;
  const counts = (r: Record<string, number>[]) => r.map((b) => b.count);
  if (JSON.stringify(counts(engine.reliability)) !== JSON.stringify(counts(torch.reliability)))
    return `${label} bin counts: ${JSON.stringify(counts(engine.reliability))}, PyTorch ${JSON.stringify(counts(torch.reliability))}`;
  const means = (r: Record<string, number>[]) => r.flatMap((b) => (b.count ? [b.confidence, b.accuracy] : []));
  return compareNested(`${label} bin means`, means(engine.reliability), means(torch.reliability), FLOAT64);
}

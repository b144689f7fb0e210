// Differential test: random small training runs through the engine and through
// a real PyTorch (torch.manual_seed + nn.Sequential + torch.optim), loss by loss.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportScenario, trainDisagreement } from './disagreement';
import { describeWithTorch, startOracle, type Oracle } from './oracle';
import { trainCaseArb } from './trainCases';

const RUNS = Number(process.env.CE_LAB_TORCH_TRAIN_RUNS ?? 300);

describeWithTorch('training against a real PyTorch', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await startOracle();
  });
  afterAll(() => oracle?.close());

  it(`agrees on ${RUNS} random training runs (1e-4 in float32, 1e-10 in float64)`, async () => {
    const result = await fc.check(
      fc.asyncProperty(trainCaseArb, async (c) => {
        const problem = await trainDisagreement(oracle, c);
        if (problem) throw new Error(problem);
      }),
      { numRuns: RUNS, seed: process.env.CE_LAB_TORCH_SEED ? Number(process.env.CE_LAB_TORCH_SEED) : undefined },
    );
    if (result.failed) {
      const [c] = result.counterexample ?? [];
      const message = (result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance);
      expect.fail(
        `PyTorch ${oracle.version} and the engine disagree (seed ${result.seed}): ${c ? reportScenario('torch-disagreement-train', c, message) : message}`,
      );
    }
  }, 600_000);
});

// Differential test: random cross-entropy cells through the engine and through
// a real PyTorch, compared at the golden tolerances; errors must agree too.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lossDisagreement, reportScenario } from './disagreement';
import { lossCaseArb, type LossCase } from './lossCases';
import { describeWithTorch, startOracle, type Oracle } from './oracle';

const CASES = Number(process.env.CE_LAB_TORCH_CASES ?? 20_000);
const FAULT_FIELD: Record<string, string> = {
  'target-out-of-range': 'target',
  'weight-length': 'weight',
  'label-smoothing-above-1': 'label_smoothing',
  reduction: 'reduction',
  'batch-size': 'target',
  'ignore-index-with-probabilities': 'ignore_index',
};

describeWithTorch('cross_entropy against a real PyTorch', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await startOracle();
  });
  afterAll(() => oracle?.close());

  it(`agrees on ${CASES} random cells (loss, grad and errors)`, async () => {
    let faults = 0;
    const result = await fc.check(
      fc.asyncProperty(lossCaseArb, async (c: LossCase) => {
        if (c.fault) faults += 1;
        const problem = await lossDisagreement(oracle, c, c.fault ? FAULT_FIELD[c.fault] : null);
        if (problem) throw new Error(problem);
      }),
      { numRuns: CASES, seed: process.env.CE_LAB_TORCH_SEED ? Number(process.env.CE_LAB_TORCH_SEED) : undefined },
    );
    if (result.failed) {
      const [c] = result.counterexample ?? [];
      const message = (result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance);
      expect.fail(
        `PyTorch ${oracle.version} and the engine disagree (seed ${result.seed}): ${c ? reportScenario('torch-disagreement-loss', c, message) : message}`,
      );
    }
    console.log(`${CASES} cells agree with PyTorch ${oracle.version}, ${faults} of them refused by both`);
  }, 600_000);
});

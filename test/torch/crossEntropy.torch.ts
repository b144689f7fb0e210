// Differential test: random cross-entropy cells through the engine and through
// a real PyTorch, compared at the golden tolerances; errors must agree too.
import { afterAll, beforeAll, it } from 'vitest';
import { expectAgreement, lossDisagreement } from './disagreement';
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
    await expectAgreement(oracle, 'torch-disagreement-loss', lossCaseArb, CASES, (c: LossCase) => {
      if (c.fault) faults += 1;
      return lossDisagreement(oracle, c, c.fault ? FAULT_FIELD[c.fault] : null);
    });
    console.log(`${CASES} cells agree with PyTorch ${oracle.version}, ${faults} of them refused by both`);
  }, 600_000);
});

// Differential test: random small training runs through the engine and through
// a real PyTorch (torch.manual_seed + nn.Sequential + torch.optim), loss by loss.
import { afterAll, beforeAll, it } from 'vitest';
import { expectAgreement, trainDisagreement } from './disagreement';
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
    await expectAgreement(oracle, 'torch-disagreement-train', trainCaseArb, RUNS, (c) => trainDisagreement(oracle, c));
  }, 600_000);
});

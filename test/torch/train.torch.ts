// Differential test: random small training runs through the engine and through
// a real PyTorch (torch.manual_seed + nn.Sequential + torch.optim), loss by loss.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAgreement, trainDisagreement, type Case } from './disagreement';
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

  it("agrees on a diverging float32 run within 4× PyTorch float32's drift from the float64 trajectory", async () => {
    // Found by the random runs: the engine's last loss is 1.3e-4 from PyTorch's float32 one, and 8e-6 from the float64 one.
    const scenario = JSON.parse(readFileSync('test/torch/cases/diverging-momentum.ce.json', 'utf8'));
    const c: Case = { dtype: scenario.dtype, cell: scenario.cells[0] };
    expect(await trainDisagreement(oracle, c)).toBeNull();
  });
});

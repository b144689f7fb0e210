// Differential test: random cross-entropy cells through the engine and through
// a real PyTorch, compared at the golden tolerances; errors must agree too.
import { afterAll, beforeAll, it } from 'vitest';
import { expectAgreement, lossDisagreement } from './disagreement';
import { largeLossCaseArb, lossCaseArb, type LossCase } from './lossCases';
import { describeWithTorch, startOracle, type Oracle } from './oracle';

const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

const CASES = Number(process.env.CE_LAB_TORCH_CASES ?? 20_000);
const LARGE_CASES = Number(process.env.CE_LAB_TORCH_LARGE_CASES ?? 100);
const STREAMED_CASES = Number(process.env.CE_LAB_TORCH_STREAMED_CASES ?? 2000);
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

  /**
   * Draws `count` cells, each through the engine and PyTorch; the first disagreement fails the test (shrunk to a
   * smaller one unless `shrink` is false: shrinking 60,000-value cells would take longer than the test may).
   */
  async function agreeOn(name: string, cases: typeof lossCaseArb, count: number, shrink = true, streamed = false): Promise<void> {
    let faults = 0;
    const disagreement = (c: LossCase) => {
      if (c.fault) faults += 1;
      return lossDisagreement(oracle, c, c.fault ? FAULT_FIELD[c.fault] : null, streamed);
    };
    await expectAgreement(oracle, name, cases, count, disagreement, shrink);
    console.log(`${count} cells agree with PyTorch ${oracle.version}, ${faults} of them refused by both`);
  }

  it(`agrees on ${CASES} random cells (loss, grad and errors)`, () => agreeOn('torch-disagreement-loss', lossCaseArb, CASES), 600_000);

  // Logits read from a file block by block (class-index targets: probability targets are not streamed).
  const indexTargets = (c: LossCase) => JSON.stringify(shapeOf(c.cell.target)) !== JSON.stringify(shapeOf(c.cell.logits));
  it(`agrees on ${STREAMED_CASES} random cells and ${LARGE_CASES} large ones with their logits streamed from a file (loss and errors)`, async () => {
    await agreeOn('torch-disagreement-streamed', lossCaseArb.filter(indexTargets), STREAMED_CASES, true, true);
    await agreeOn('torch-disagreement-streamed-large', largeLossCaseArb.filter(indexTargets), LARGE_CASES, false, true);
  }, 600_000);

  it(
    `agrees on ${LARGE_CASES} large cells (up to 60,000 logits: every path of the WebAssembly kernels)`,
    () => agreeOn('torch-disagreement-loss-large', largeLossCaseArb, LARGE_CASES, false),
    600_000,
  );
});

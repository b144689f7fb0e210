// Loss-cell calibration against PyTorch (test/torch/oracle.py, calibration_case):
// random cells, held whole and streamed from a file, must give gpleiss-style
// figures to 1e-10 (computed in float64 whatever the dtype), a fitted T within
// 1e-6 of the NLL's minimiser found by bisection on autograd's dNLL/dT, and an
// NLL at that T no higher than what torch.optim.LBFGS (lr 0.01, max_iter 50,
// from T = 1.5, as gpleiss/temperature_scaling runs it) reaches.
import { afterAll, beforeAll, it } from 'vitest';
import { calibrationCase, compareFigures, type CalibrationCase, type Figures } from './calibrationCases';
import { engineCell, expectAgreement, streamedEngineCell } from './disagreement';
import { describeWithTorch, startOracle, type Oracle } from './oracle';

const CASES = Number(process.env.CE_LAB_TORCH_CALIBRATION_CASES ?? 300);

async function calibrationDisagreement(oracle: Oracle, c: CalibrationCase): Promise<string | null> {
  const result = c.streamed ? await streamedEngineCell(c) : await engineCell(c);
  if (!result.ok) return `the engine failed: ${result.error.message}`;
  const cal = result.calibration;
  const answer = await oracle.ask({ kind: 'calibration', dtype: c.dtype, cell: c.cell, bins: c.bins, engine_t: cal.temperature.fitted });
  if (answer.error !== undefined) return `PyTorch failed: ${answer.error}`;
  const torch = answer as unknown as { at_cell: Figures; at_engine_t: Figures; rows: number; bisected_t: number; lbfgs_nll: number };
  const where = c.streamed ? 'streamed' : 'whole';
  if (cal.rows !== torch.rows) return `rows ${cal.rows}, PyTorch ${torch.rows}`;
  const problem = compareFigures(`${where}: at the cell's temperature`, cal, torch.at_cell);
  if (problem) return problem;
  const fitted = cal.temperature;
  const there = { ...torch.at_engine_t, reliability: torch.at_engine_t.reliability };
  const atFit = compareFigures(`${where}: at the fitted T`, { ...there, nll: fitted.nll, ece: fitted.ece, reliability: fitted.reliability }, there);
  if (atFit) return atFit;
  // Every row right: the NLL falls towards T → 0 until it is flat to rounding, where no minimiser is defined.
  if (cal.accuracy < 1 && Math.abs(fitted.fitted / torch.bisected_t - 1) > 1e-6)
    return `${where}: fitted T ${fitted.fitted}, the NLL's minimiser by bisection ${torch.bisected_t}`;
  if (fitted.nll > torch.lbfgs_nll * (1 + 1e-12)) return `${where}: NLL at the fitted T ${fitted.nll} > LBFGS's ${torch.lbfgs_nll}`;
  return null;
}

describeWithTorch('calibration against PyTorch', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await startOracle();
  });
  afterAll(() => oracle?.close());

  it(`${CASES} random loss cells, held whole and streamed: figures, fitted T, LBFGS`, async () => {
    await expectAgreement(oracle, 'calibration-disagreement', calibrationCase, CASES, (c) => calibrationDisagreement(oracle, c));
  });
});

// A cell's Calibration (results.ts) from a way to run one pass over its rows at
// a temperature: the figures at the cell's own temperature, and the fit.
import type { Calibration } from '../results';
import { CalibrationSums } from './calibrationSums';
import { passFigures } from './figures';
import type { Fitted } from './fitTemperature';

/** The bin edges b / B, correctly rounded (torch.linspace(0, 1, B + 1) may differ from some in the last bit). */
export const binEdges = (bins: number): number[] => Array.from({ length: bins + 1 }, (_, b) => b / bins);

export const newSums = (bins: number, temperature: number, classes: number): CalibrationSums =>
  new CalibrationSums(binEdges(bins), temperature, classes);

export function calibrationOf(bins: number, atCell: CalibrationSums, fit: Fitted): Calibration {
  const fitted = passFigures(fit.sums);
  return {
    bins,
    ...passFigures(atCell),
    rows: atCell.rows,
    temperature: {
      fitted: fit.temperature,
      nll: fitted.nll,
      ece: fitted.ece,
      bounded: fit.bounded,
      passes: fit.passes,
      reliability: fitted.reliability,
    },
  };
}

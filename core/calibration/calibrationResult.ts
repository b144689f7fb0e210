// A cell's Calibration (results.ts) from a way to run one pass over its rows at
// a temperature: the figures at the cell's own temperature, and the fit.
import { linspace } from '../linspace';
import type { Calibration } from '../results';
import { CalibrationSums } from './calibrationSums';
import { passFigures } from './figures';
import type { Fitted } from './fitTemperature';

/** The bin edges, torch.linspace(0, 1, bins + 1) as PyTorch computes it. */
export const binEdges = (bins: number): number[] => linspace(0, 1, bins + 1);

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

// Calibration of a loss cell held whole: each pass walks the logits in memory.
import { layoutOf } from '../compute/layout';
import { rounding } from '../dtype';
import type { Calibration } from '../results';
import type { Tensor } from '../tensor';
import { calibrationOf, newSums } from './calibrationResult';
import { fitNow } from './fitTemperature';

/** `classIndex[e]`: element e's target, −1 where it is ignored. */
export function wholeCalibration(
  logits: Tensor,
  classIndex: ArrayLike<number>,
  temperature: number,
  bins: number,
  dtype: 'float32' | 'float64',
): Calibration {
  const L = layoutOf(logits.shape);
  const round = rounding(dtype);
  const pass = (T: number) => {
    const sums = newSums(bins, T, L.classes);
    sums.addBlock(logits.data, L, classIndex, round);
    return sums;
  };
  return calibrationOf(bins, pass(temperature), fitNow(pass, temperature));
}

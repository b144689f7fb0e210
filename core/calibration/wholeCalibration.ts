// Calibration of a loss cell held whole: each pass walks the logits in memory.
import { layoutOf } from '../compute/layout';
import { rounding } from '../dtype';
import type { Calibration, Dtype } from '../results';
import type { Tensor } from '../tensor';
import { calibrationOf, newSums } from './calibrationResult';
import type { CalibrationSums } from './calibrationSums';
import { passFigures, type PassFigures } from './figures';
import { fitNow } from './fitTemperature';

/** One pass over the logits at temperature T. `classIndex[e]`: element e's target, −1 where it is ignored. */
function passAt(logits: Tensor, classIndex: Int32Array, T: number, bins: number, dtype: Dtype): CalibrationSums {
  const L = layoutOf(logits.shape);
  const sums = newSums(bins, T, L.classes);
  // Values held as float64 in a float32 run are rounded as they are read.
  const inDtype = dtype === 'float64' || logits.data instanceof Float32Array;
  sums.addBlock(logits.data, L, classIndex, inDtype ? null : rounding(dtype));
  return sums;
}

/** The figures at the cell's temperature, and the fit (starting from that temperature). */
export function wholeCalibration(logits: Tensor, classIndex: Int32Array, temperature: number, bins: number, dtype: Dtype): Calibration {
  const atCell = passAt(logits, classIndex, temperature, bins, dtype);
  // The fit's first pass is at the cell's temperature: that pass serves it.
  const fit = fitNow((T) => (T === temperature ? atCell : passAt(logits, classIndex, T, bins, dtype)), temperature);
  return calibrationOf(bins, atCell, fit);
}

/** The figures at temperature T alone, without a fit (a sweep's ECE at each point). */
export const figuresAt = (logits: Tensor, classIndex: Int32Array, T: number, bins: number, dtype: Dtype): PassFigures =>
  passFigures(passAt(logits, classIndex, T, bins, dtype));

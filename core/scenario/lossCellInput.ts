// What a loss cell is read into (lossCell.ts reads it, lossView.ts and the
// PyTorch script writer read it): the cell's tensors with where they were
// written, and its options.
import type { CalibrationRequest } from '../calibration/calibrationOption';
import type { Dtype, JsonPath } from '../results';
import type { ReadTensor } from './tensorValue';

export interface LossCellInput {
  path: JsonPath;
  logits: ReadTensor;
  target: ReadTensor;
  weight: ReadTensor | null;
  gradOutput: ReadTensor | null;
  ignoreIndex: number;
  reduction: string;
  labelSmoothing: number;
  temperature: number;
  classes: string[] | null;
  dtype: Dtype;
  /** The `calibration` option (docs/CALIBRATION.md). */
  calibration: CalibrationRequest;
}

// The calibration figures of one pass (calibrationSums.ts): ECE, MCE, Brier,
// NLL, accuracy and the reliability diagram's bins, as defined by Guo et al.
// (2017) and computed by gpleiss/temperature_scaling.
import type { ReliabilityBin } from '../results';
import type { CalibrationSums } from './calibrationSums';

export interface PassFigures {
  ece: number;
  mce: number;
  brier: number;
  nll: number;
  accuracy: number;
  reliability: ReliabilityBin[];
}

/** ECE = Σ_b n_b/N·|acc_b − conf_b|; MCE = the largest |acc_b − conf_b| over non-empty bins; the rest are means over counted rows. */
export function passFigures(s: CalibrationSums): PassFigures {
  let ece = 0;
  let mce = 0;
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < s.count.length; b++) {
    const bin: ReliabilityBin = { lower: s.edges[b], upper: s.edges[b + 1], count: s.count[b] };
    if (s.count[b] > 0) {
      bin.confidence = s.confidence[b] / s.count[b];
      bin.accuracy = s.correct[b] / s.count[b];
      const gap = Math.abs(bin.accuracy - bin.confidence);
      ece += (s.count[b] / s.rows) * gap;
      mce = Math.max(mce, gap);
    }
    reliability.push(bin);
  }
  return { ece, mce, brier: s.brier / s.rows, nll: s.nll / s.rows, accuracy: s.rightRows / s.rows, reliability };
}

// cross_entropy's per-element scalars and its reduction, shared by the
// whole-tensor and streamed passes: the upstream gradient reaching each element,
// the `mean` divisor, and the loss recombined from the kernel's terms.
import type { FloatArray } from '../compute/kernelSet';
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { rounding, type Round } from '../dtype';
import type { Dtype, Reduction } from '../results';
import type { Tensor } from '../tensor';

/** Shape of reduction "none": the input without its class dimension. */
export function lossShape(shape: readonly number[]): number[] {
  return shape.length === 1 ? [] : [shape[0], ...shape.slice(2)];
}

/** Σ values in float64, rounded to the dtype once; four running sums, so consecutive additions do not wait on each other. */
export function sum(values: FloatArray, round: Round): number {
  // Separate declarations: with `let [s0, …] = [0, …]` V8 runs this loop 4–7× slower.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const whole = values.length - (values.length % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    s0 += values[i];
    s1 += values[i + 1];
    s2 += values[i + 2];
    s3 += values[i + 3];
  }
  for (; i < values.length; i++) s0 += values[i];
  return round(s0 + s1 + (s2 + s3));
}

/** `mean`'s divisor for class-index targets: Σ w[target] over the elements not ignored (their count without weights), in dtype. */
export function indexDivisor(classIndex: Int32Array, weight: FloatArray | null, ignoredCount: number, round: Round): number {
  if (!weight) return round(classIndex.length - ignoredCount);
  let total = 0;
  for (let e = 0; e < classIndex.length; e++) if (classIndex[e] >= 0) total += weight[classIndex[e]];
  return round(total);
}

/** The upstream gradient reaching each element, scaled by `factor` and divided by `divisor`, in dtype. */
export function upstreamPerElement(
  gradOutput: Tensor | null,
  reduction: Reduction,
  count: number,
  factor: number,
  divisor: number,
  dtype: Dtype,
): FloatArray {
  const round = rounding(dtype);
  const scaledOf = (g: number) => {
    const scaled = round(g * factor);
    return reduction === 'mean' ? round(scaled / divisor) : scaled;
  };
  const out = unfilledFloatArray(dtype, count);
  if (reduction === 'none' && gradOutput) for (let e = 0; e < count; e++) out[e] = scaledOf(gradOutput.data[e]);
  else out.fill(scaledOf(gradOutput ? gradOutput.data[0] : 1));
  return out;
}

/** What the index-target kernel gives, from which the loss for any label smoothing follows. */
export interface IndexTerms {
  nll: FloatArray;
  /** Null when the smoothing terms were not asked for. */
  smooth: FloatArray | null;
  divisor: number;
  classes: number;
}

/** PyTorch's (1 − ls)·nll + (ls / C)·smooth, per element and reduced (mean divides each term by Σ w[t] first). */
export function combineIndexTerms(terms: IndexTerms, ls: number, reduction: Reduction, dtype: Dtype): { perElement: FloatArray; reduced: number } {
  const round = rounding(dtype);
  const { nll, smooth, divisor } = terms;
  const keep = round(1 - ls);
  const spread = round(ls / terms.classes);
  const combine = (nllTerm: number, smoothTerm: number) => (ls > 0 ? round(round(keep * nllTerm) + round(smoothTerm * spread)) : nllTerm);
  const perElement = ls > 0 && smooth ? nll.map((v, e) => combine(v, smooth[e])) : nll;
  const nllSum = sum(nll, round);
  const smoothSum = ls > 0 && smooth ? sum(smooth, round) : 0;
  const reduced = reduction === 'mean' ? combine(round(nllSum / divisor), round(smoothSum / divisor)) : combine(nllSum, smoothSum);
  return { perElement, reduced };
}

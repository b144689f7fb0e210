// The temperature T > 0 that minimises the mean NLL of logits / T, found as the
// root of its derivative in β = 1/T, where the NLL is convex (its second
// derivative is the variance of the logits under softmax): Newton steps with
// exact first and second derivatives, safeguarded by a bracket (a step that
// leaves it bisects it in log β), until a step is under 1e-9 of β. Each step asks for
// one pass over the rows at a new T (calibrationSums.ts), so the same driver
// serves a tensor held whole and a file read block by block.
import type { CalibrationSums } from './calibrationSums';

/** The fit searches T in [MIN_T, MAX_T]: the NLL may keep falling to an end (every row right: towards T → 0). */
export const MIN_T = 1e-3;
export const MAX_T = 1e3;
/** A step this small ends the search: Newton's next step would be about its square, far inside 1e-6. */
const RELATIVE_STEP = 1e-9;
/** Newton converges in a handful of passes; this only bounds a slope that rounding keeps from settling. */
const MAX_PASSES = 60;

export interface Fitted {
  temperature: number;
  /** The search stopped at an end of [MIN_T, MAX_T]: the NLL still falls beyond it. */
  bounded: boolean;
  /** The pass at `temperature`: its figures are the fitted ones. */
  sums: CalibrationSums;
  /** Passes over the rows it took. */
  passes: number;
}

/** Yields each T to evaluate, receiving that pass's sums; returns the fit. */
export function* temperatureFit(start = 1): Generator<number, Fitted, CalibrationSums> {
  // The bracket [lo, hi] holds the root of the slope; an end is evaluated only when a step would leave it.
  const ends = { lo: 1 / MAX_T, hi: 1 / MIN_T };
  let [lo, hi] = [ends.lo, ends.hi];
  let [loKnown, hiKnown] = [false, false];
  // T is kept beside β so the first pass is at `start` itself (1 / (1 / T) need not be T): the cell's own pass serves it.
  let T = Math.min(MAX_T, Math.max(MIN_T, start));
  let beta = 1 / T;
  for (let passes = 1; ; passes++) {
    const sums = yield T;
    const slope = sums.d1 / sums.rows;
    const done = (bounded: boolean): Fitted => ({ temperature: T, bounded, sums, passes });
    if (slope === 0 || !Number.isFinite(slope) || passes >= MAX_PASSES) return done(false);
    if (slope < 0 && T === MIN_T) return done(true);
    if (slope > 0 && T === MAX_T) return done(true);
    if (slope < 0) [lo, loKnown] = [beta, true];
    else [hi, hiKnown] = [beta, true];
    let next = beta - slope / (sums.d2 / sums.rows);
    if (!(next > lo && next < hi)) {
      // Outside the bracket: try the end not yet evaluated, else bisect in log β.
      next = slope < 0 && !hiKnown ? hi : slope > 0 && !loKnown ? lo : Math.sqrt(lo * hi);
    }
    if (Math.abs(next - beta) <= RELATIVE_STEP * beta) return done(false);
    beta = next;
    T = beta === ends.hi ? MIN_T : beta === ends.lo ? MAX_T : 1 / beta;
  }
}

/** Runs the fit where each pass is computed at once (a tensor held whole). */
export function fitNow(pass: (temperature: number) => CalibrationSums, start = 1): Fitted {
  const steps = temperatureFit(start);
  let step = steps.next();
  while (!step.done) step = steps.next(pass(step.value));
  return step.value;
}

/** Runs the fit where each pass reads a file. */
export async function fitByPasses(pass: (temperature: number) => Promise<CalibrationSums>, start = 1): Promise<Fitted> {
  const steps = temperatureFit(start);
  let step = steps.next();
  while (!step.done) step = steps.next(await pass(step.value));
  return step.value;
}

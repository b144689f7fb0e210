// What one calibration pass computes per counted row (element) at a temperature
// T, in float64 from the logits rounded to the run's dtype: z = x / T, the
// confidence max softmax(z), whether the first argmax (PyTorch's argmax rule) is
// the target, −log p(target), the multi-class Brier term, and the derivatives of
// the NLL in β = 1/T that the temperature fit needs. Rows are independent, so
// two threads may compute them (node/streamHelper.ts); calibrationSums.ts adds
// them up in element order, so the bits never depend on who computed a row.
import type { ClassLayout } from '../compute/layout';
import type { Round } from '../dtype';
import type { FloatArray } from '../tensor';

/** Per-row columns; a row that is not counted (ignored) is left as it was. */
export interface RowFacts {
  confidence: Float64Array;
  /** 1 where the first most probable class is the target. */
  right: Uint8Array;
  nll: Float64Array;
  brier: Float64Array;
  /** d/dβ and d²/dβ² of −log p(target) at β = 1/T (in units of the raw logits). */
  d1: Float64Array;
  d2: Float64Array;
}

/** Room for `rows` rows: ordinary memory, or memory another thread shares (`share` gives its buffers). */
export function newRowFacts(rows: number, share: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes)): RowFacts {
  const doubles = () => new Float64Array(share(8 * rows));
  return { confidence: doubles(), right: new Uint8Array(share(rows)), nll: doubles(), brier: doubles(), d1: doubles(), d2: doubles() };
}

/** Scratch for one row of C classes: its logits, z = x / T, and exp(z − max). */
export class RowScratch {
  readonly xs: Float64Array;
  readonly zs: Float64Array;
  readonly e: Float64Array;
  constructor(classes: number) {
    this.xs = new Float64Array(classes);
    this.zs = new Float64Array(classes);
    this.e = new Float64Array(classes);
  }
}

/**
 * Computes the facts of the counted elements [from, to) of a block into `facts` at `at + (el − from)`. x holds the
 * block's logits in layout L (as written, before any temperature); target[el] is element el's class index or −1
 * where it is ignored. `round`: to the run's dtype, or null when x already holds the dtype's values.
 */
export function computeRowFacts(
  x: FloatArray,
  L: ClassLayout,
  target: Int32Array,
  round: Round | null,
  T: number,
  scratch: RowScratch,
  [from, to]: [number, number],
  facts: RowFacts,
  at: number,
): void {
  const { classes, inner } = L;
  const { xs, zs, e } = scratch;
  for (let el = from; el < to; el++) {
    const t = target[el];
    if (t < 0) continue;
    const base = Math.floor(el / inner) * classes * inner + (el % inner);
    // The row's logits (rounded to the dtype), then z = x / T and its first largest class.
    if (round) for (let c = 0, i = base; c < classes; c++, i += inner) xs[c] = round(x[i]);
    else for (let c = 0, i = base; c < classes; c++, i += inner) xs[c] = x[i];
    let max = -Infinity;
    let top = 0;
    for (let c = 0; c < classes; c++) {
      const z = xs[c] / T;
      zs[c] = z;
      if (z > max) {
        max = z;
        top = c;
      }
    }
    let sum = 0;
    let mean = 0;
    for (let c = 0; c < classes; c++) {
      const ec = Math.exp(zs[c] - max);
      e[c] = ec;
      sum += ec;
      mean += ec * xs[c];
    }
    mean /= sum;
    let variance = 0;
    let brier = 0;
    for (let c = 0; c < classes; c++) {
      const p = e[c] / sum;
      const d = xs[c] - mean;
      const miss = p - (c === t ? 1 : 0);
      variance += p * d * d;
      brier += miss * miss;
    }
    const r = at + el - from;
    facts.confidence[r] = 1 / sum;
    facts.right[r] = top === t ? 1 : 0;
    facts.nll[r] = Math.log(sum) + max - zs[t];
    facts.brier[r] = brier;
    facts.d1[r] = mean - xs[t];
    facts.d2[r] = variance;
  }
}

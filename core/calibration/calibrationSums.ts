// One pass of calibration over rows of logits at a temperature T: per counted
// row, in float64 from the logits rounded to the run's dtype, z = x / T, then
// confidence = max softmax(z), the first argmax (PyTorch's argmax rule),
// −log p(target), the multi-class Brier term, and the derivatives of the NLL in
// β = 1/T that the temperature fit needs. Rows are added in element order, so a
// file read block by block gives the same bits as the tensor held whole.
import type { ClassLayout } from '../compute/layout';
import type { Round } from '../dtype';
import type { FloatArray } from '../tensor';

/** What one pass adds up. Bin b holds confidences in (edges[b], edges[b+1]] (a confidence of 0 goes to bin 0). */
export class CalibrationSums {
  readonly count: Float64Array;
  readonly confidence: Float64Array;
  readonly correct: Float64Array;
  /** Counted rows. */
  rows = 0;
  rightRows = 0;
  /** Σ −log p(target), Σ Σ_c (p_c − y_c)². */
  nll = 0;
  brier = 0;
  /** Σ of d/dβ and d²/dβ² of −log p(target) at β = 1/T (in units of the raw logits). */
  d1 = 0;
  d2 = 0;
  /** Scratch for one row: its logits, z = x / T, and exp(z − max). */
  private readonly xs: Float64Array;
  private readonly zs: Float64Array;
  private readonly row: Float64Array;

  constructor(
    readonly edges: readonly number[],
    readonly temperature: number,
    classes: number,
  ) {
    const bins = edges.length - 1;
    this.count = new Float64Array(bins);
    this.confidence = new Float64Array(bins);
    this.correct = new Float64Array(bins);
    this.xs = new Float64Array(classes);
    this.zs = new Float64Array(classes);
    this.row = new Float64Array(classes);
  }

  /** Bin of confidence p: the b with edges[b] < p ≤ edges[b+1], found by comparisons against the edges themselves. */
  binOf(p: number): number {
    const last = this.count.length - 1;
    let b = Math.min(last, Math.max(0, Math.ceil(p * this.count.length) - 1));
    while (b > 0 && p <= this.edges[b]) b--;
    while (b < last && p > this.edges[b + 1]) b++;
    return b;
  }

  /**
   * Adds the counted elements of a block: x holds its logits in layout L (as written, before any temperature),
   * target[e] the class index of element e or −1 where it is ignored. `round`: to the run's dtype, or null when
   * x already holds the dtype's values (a block read from the file into an array of that dtype).
   */
  addBlock(x: FloatArray, L: ClassLayout, target: Int32Array, round: Round | null): void {
    const { classes, inner } = L;
    const T = this.temperature;
    const { xs, zs, row: e } = this;
    for (let el = 0; el < L.outer * inner; el++) {
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
      const confidence = 1 / sum;
      const right = top === t ? 1 : 0;
      const b = this.binOf(confidence);
      this.count[b]++;
      this.confidence[b] += confidence;
      this.correct[b] += right;
      this.rows++;
      this.rightRows += right;
      this.nll += Math.log(sum) + max - zs[t];
      this.brier += brier;
      this.d1 += mean - xs[t];
      this.d2 += variance;
    }
  }
}

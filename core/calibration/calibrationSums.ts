// One pass of calibration over rows of logits at a temperature T: the rows'
// facts (rowFacts.ts) added up in element order, so a file read block by block,
// in one thread or two, gives the same bits as the tensor held whole.
import type { ClassLayout } from '../compute/layout';
import type { Round } from '../dtype';
import type { FloatArray } from '../tensor';
import { computeRowFacts, newRowFacts, RowScratch, type RowFacts } from './rowFacts';

/** Rows computed at a time before they are added: the scratch columns stay small whatever the block. */
const CHUNK_ROWS = 4096;

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
  private readonly scratch: RowScratch;
  private readonly chunk: RowFacts;

  constructor(
    readonly edges: readonly number[],
    readonly temperature: number,
    classes: number,
  ) {
    const bins = edges.length - 1;
    this.count = new Float64Array(bins);
    this.confidence = new Float64Array(bins);
    this.correct = new Float64Array(bins);
    this.scratch = new RowScratch(classes);
    this.chunk = newRowFacts(CHUNK_ROWS);
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
    const n = L.outer * L.inner;
    for (let from = 0; from < n; from += CHUNK_ROWS) {
      const to = Math.min(n, from + CHUNK_ROWS);
      computeRowFacts(x, L, target, round, this.temperature, this.scratch, [from, to], this.chunk, 0);
      this.addRows(this.chunk, target, [from, to], 0);
    }
  }

  /** Adds the facts of the counted elements [from, to), in order, read from `facts` at `at + (el − from)`. */
  addRows(facts: RowFacts, target: Int32Array, [from, to]: [number, number], at: number): void {
    for (let el = from; el < to; el++) {
      if (target[el] < 0) continue;
      const r = at + el - from;
      const confidence = facts.confidence[r];
      const right = facts.right[r];
      const b = this.binOf(confidence);
      this.count[b]++;
      this.confidence[b] += confidence;
      this.correct[b] += right;
      this.rows++;
      this.rightRows += right;
      this.nll += facts.nll[r];
      this.brier += facts.brier[r];
      this.d1 += facts.d1[r];
      this.d2 += facts.d2[r];
    }
  }
}

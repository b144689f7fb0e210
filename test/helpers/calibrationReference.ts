// Calibration figures written out in plain loops, independent of the engine's
// code (core/calibration/): the reference the unit tests compare against. Rows
// of logits in float64 (already rounded to the run's dtype), class-index targets.

export interface ReferenceBin {
  lower: number;
  upper: number;
  count: number;
  confidence?: number;
  accuracy?: number;
}

export interface ReferenceFigures {
  ece: number;
  mce: number;
  brier: number;
  nll: number;
  accuracy: number;
  reliability: ReferenceBin[];
}

/** Edges b / B. */
function edges(bins: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= bins; i++) out.push(i / bins);
  return out;
}

function softmax(row: number[], T: number): number[] {
  const z = row.map((v) => v / T);
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Figures at temperature T over the rows whose target is not `ignore`. */
export function referenceFigures(rows: number[][], targets: number[], ignore: number, T: number, bins: number): ReferenceFigures {
  const E = edges(bins);
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const rightSum = new Array<number>(bins).fill(0);
  let [n, right, nll, brier] = [0, 0, 0, 0];
  rows.forEach((row, i) => {
    const t = targets[i];
    if (t === ignore) return;
    const p = softmax(row, T);
    let top = 0;
    for (let c = 1; c < row.length; c++) if (row[c] / T > row[top] / T) top = c; // the first largest, as torch.argmax
    const conf = p[top];
    let b = 0;
    while (b < bins - 1 && !(conf > E[b] && conf <= E[b + 1])) b++;
    count[b]++;
    confSum[b] += conf;
    rightSum[b] += top === t ? 1 : 0;
    n++;
    right += top === t ? 1 : 0;
    const z = row.map((v) => v / T);
    const max = Math.max(...z);
    nll += Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0)) + max - z[t];
    for (let c = 0; c < row.length; c++) brier += (p[c] - (c === t ? 1 : 0)) ** 2;
  });
  let [ece, mce] = [0, 0];
  const reliability: ReferenceBin[] = [];
  for (let b = 0; b < bins; b++) {
    const bin: ReferenceBin = { lower: E[b], upper: E[b + 1], count: count[b] };
    if (count[b]) {
      bin.confidence = confSum[b] / count[b];
      bin.accuracy = rightSum[b] / count[b];
      ece += (count[b] / n) * Math.abs(bin.accuracy - bin.confidence);
      mce = Math.max(mce, Math.abs(bin.accuracy - bin.confidence));
    }
    reliability.push(bin);
  }
  return { ece, mce, brier: brier / n, nll: nll / n, accuracy: right / n, reliability };
}

/** The T minimising the mean NLL: bisection (150 halvings in log T) on the sign of d NLL / dT, from softmax means. */
export function referenceFittedT(rows: number[][], targets: number[], ignore: number): number {
  // d/dT of −log p_t(x/T) = (x_t − Σ p_c x_c) / T²: its sign is that of x_t − E_p[x].
  const slope = (T: number) => {
    let s = 0;
    rows.forEach((row, i) => {
      if (targets[i] === ignore) return;
      const p = softmax(row, T);
      s += row[targets[i]] - row.reduce((a, v, c) => a + p[c] * v, 0);
    });
    return s;
  };
  let [lo, hi] = [Math.log(1e-3), Math.log(1e3)];
  for (let k = 0; k < 150; k++) {
    const mid = (lo + hi) / 2;
    if (slope(Math.exp(mid)) > 0) hi = mid;
    else lo = mid;
  }
  return Math.exp((lo + hi) / 2);
}

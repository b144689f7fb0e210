// A streamed loss cell's result: the loss exactly as the whole tensor gives it,
// the figures of the whole run (accuracy, top-5, entropy, perplexity, a
// histogram of per-element losses, the most confused pairs), the k worst
// elements with their most probable classes (re-read from the file), and the
// per-row facts for the CLI. The view the panel draws holds no per-element arrays.
import { rounding } from '../dtype';
import { readBlock } from '../nn/streamBlocks';
import { streamedLoss } from '../nn/streamedCrossEntropy';
import type { StreamedPass } from '../nn/streamedPass';
import { tensorsAt } from '../nn/streamedTensors';
import type { LossResult, LossView, Problem, RowFacts, StreamedLossStats, WorstRow } from '../results';
import { toNested, type FloatArray } from '../tensor';
import { topClasses, wholeRow } from '../view/elementReading';
import { newFloatArray } from '../compute/kernelSet';
import { ScenarioError } from './problems';
import { streamedArgs, type StreamedLossInput } from './streamedLossCell';

/** Worst elements shown. */
const WORST_ROWS = 10;
/** Most confused pairs shown. */
const CONFUSED_PAIRS = 10;
const HISTOGRAM_BINS = 30;
const TOP_K = 5;

/** One element's full rows, read again from the file: what a click on a row shows. */
export interface ElementDetail {
  element: number;
  logits: number[];
  probs: number[];
  logProbs: number[];
  grad: number[];
}

const nameOf = (classes: string[] | null, c: number): string => (classes && c >= 0 && c < classes.length ? classes[c] : String(c));

/** Element e's logits as written, in the run's dtype, read from the file. */
async function elementLogits(input: StreamedLossInput, pass: StreamedPass, e: number): Promise<FloatArray> {
  const L = pass.layout;
  const x = newFloatArray(pass.dtype, L.classes);
  const block = {
    e0: e,
    e1: e + 1,
    layout: { outer: 1, classes: L.classes, inner: 1 },
    sample: Math.floor(e / L.inner),
    position: e % L.inner,
    values: L.classes,
  };
  await readBlock(input.logits, L, block, x);
  return x;
}

/** Element e's log-softmax from its logits and the pass's max and log Σ, rounded as the whole pass rounds it. */
function elementLogProbs(pass: StreamedPass, logits: FloatArray, temperature: number, e: number): number[] {
  const round = rounding(pass.dtype);
  return Array.from(logits, (v) => round(round(round(v / temperature) - pass.shift[e]) - pass.logSum[e]));
}

/** Element e's softmax, log-softmax and gradient, bit for bit what the whole-tensor pass gives for that row. */
export async function elementDetail(input: StreamedLossInput, pass: StreamedPass, e: number): Promise<ElementDetail> {
  const L = pass.layout;
  const { block, logProbs, probs, grad } = await tensorsAt(pass, streamedArgs(input), e);
  const local = e - block.e0;
  const Lb = block.layout;
  const base = Math.floor(local / Lb.inner) * L.classes * Lb.inner + (local % Lb.inner);
  const row = (data: FloatArray) => Array.from({ length: L.classes }, (_, c) => data[base + c * Lb.inner]);
  return { element: e, logits: Array.from(await elementLogits(input, pass, e)), logProbs: row(logProbs), probs: row(probs), grad: row(grad) };
}

/** Indices of the k largest losses among counted elements (NaN counts as largest), largest first. */
function worstElements(loss: FloatArray, classIndex: Int32Array, k: number): number[] {
  const key = (e: number) => (Number.isNaN(loss[e]) ? Infinity : loss[e]);
  const worst: number[] = [];
  for (let e = 0; e < loss.length; e++) {
    if (classIndex[e] < 0 || (worst.length === k && !(key(e) > key(worst[k - 1])))) continue;
    if (worst.length === k) worst.pop();
    let place = worst.length;
    while (place > 0 && key(e) > key(worst[place - 1])) place--;
    worst.splice(place, 0, e);
  }
  return worst;
}

/** Equal-width bins, in log10 when every loss is positive and they span more than two decades. */
function lossHistogram(loss: FloatArray, classIndex: Int32Array): StreamedLossStats['histogram'] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let e = 0; e < loss.length; e++) {
    const v = loss[e];
    if (classIndex[e] < 0 || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return { edges: [], counts: [], log: false };
  const log = lo > 0 && hi / lo > 100;
  const scale = log ? Math.log10 : (v: number) => v;
  const [a, b] = [scale(lo), scale(hi)];
  const width = b > a ? (b - a) / HISTOGRAM_BINS : 1;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let e = 0; e < loss.length; e++) {
    const v = loss[e];
    if (classIndex[e] < 0 || !Number.isFinite(v)) continue;
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((scale(v) - a) / width))]++;
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (log ? 10 ** (a + i * width) : a + i * width));
  return { edges, counts, log };
}

function confusedPairs(pass: StreamedPass, classes: string[] | null): StreamedLossStats['confused'] {
  const counts = new Map<number, number>();
  const C = pass.layout.classes;
  for (let e = 0; e < pass.classIndex.length; e++) {
    const t = pass.classIndex[e];
    const top = pass.topClass[e];
    if (t >= 0 && t !== top) counts.set(t * C + top, (counts.get(t * C + top) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, CONFUSED_PAIRS)
    .map(([key, count]) => {
      const target = Math.floor(key / C);
      const predicted = key % C;
      return { target, predicted, count, targetName: nameOf(classes, target), predictedName: nameOf(classes, predicted) };
    });
}

function rowFacts(pass: StreamedPass): RowFacts {
  return {
    target: Array.from(pass.classIndex, (t) => t),
    top_class: Array.from(pass.topClass),
    p_target: Array.from(pass.probAtTarget),
    rank: Array.from(pass.rank),
    entropy: Array.from(pass.entropy),
  };
}

function statsOf(pass: StreamedPass, perElement: FloatArray, classes: string[] | null, worst: WorstRow[]): StreamedLossStats {
  let correct = 0;
  let top5 = 0;
  let entropy = 0;
  let loss = 0;
  const counted = pass.normalisation.counted;
  for (let e = 0; e < pass.classIndex.length; e++) {
    const t = pass.classIndex[e];
    if (t < 0) continue;
    if (pass.topClass[e] === t) correct++;
    if (pass.rank[e] >= 0 && pass.rank[e] < TOP_K) top5++;
    entropy += pass.entropy[e];
    loss += perElement[e];
  }
  return {
    elements: pass.classIndex.length,
    counted,
    accuracy: correct / counted,
    top5_accuracy: top5 / counted,
    mean_entropy: entropy / counted,
    perplexity: Math.exp(loss / counted),
    histogram: lossHistogram(perElement, pass.classIndex),
    worst,
    confused: confusedPairs(pass, classes),
  };
}

async function worstRows(input: StreamedLossInput, pass: StreamedPass, perElement: FloatArray): Promise<WorstRow[]> {
  const rows: WorstRow[] = [];
  for (const e of worstElements(perElement, pass.classIndex, WORST_ROWS)) {
    const round = rounding(pass.dtype);
    const probs = elementLogProbs(pass, await elementLogits(input, pass, e), input.temperature, e).map((v) => round(Math.exp(v)));
    const classes = topClasses(wholeRow(probs), probs.length, Math.min(TOP_K, pass.layout.classes));
    const t = pass.classIndex[e];
    rows.push({
      element: e,
      target: t,
      targetName: nameOf(input.classes, t),
      loss: perElement[e],
      p_target: pass.probAtTarget[e],
      rank: pass.rank[e],
      top: { classes, names: classes.map((c) => nameOf(input.classes, c)), probs: classes.map((c) => probs[c]) },
    });
  }
  return rows;
}

function streamedView(input: StreamedLossInput, pass: StreamedPass, labelSmoothing: number): LossView {
  return {
    shape: [...pass.shape],
    classes: null,
    targetKind: 'index',
    logitsEditable: false,
    targetIndex: null,
    ignored: [],
    elementWeight: [],
    normalisation: pass.normalisation,
    temperature: input.temperature,
    labelSmoothing,
    summary: { targetClass: [], topClass: [], probAtTarget: [], targetAtTarget: [], gradAtTarget: [], probAtTop: [], gradAtTop: [], top: null },
    rows: null,
  };
}

/** The cell's result at label smoothing `labelSmoothing` (a knob move recombines the kept terms: no file is read but the k worst rows). */
export async function streamedLossResult(
  id: string,
  title: string | undefined,
  input: StreamedLossInput,
  pass: StreamedPass,
  warnings: Problem[],
  labelSmoothing = input.labelSmoothing,
): Promise<LossResult> {
  const L = pass.layout;
  if (input.classes && input.classes.length !== L.classes) {
    throw new ScenarioError(`classes names ${input.classes.length} classes but the logits have ${L.classes}.`, [...input.path, 'classes']);
  }
  const { loss, perElement } = streamedLoss(pass, labelSmoothing);
  const extra: Problem[] =
    labelSmoothing < 0
      ? [
          {
            message: `label_smoothing is ${labelSmoothing}: PyTorch accepts a negative value but smooths nothing (only values > 0 smooth).`,
            path: [...input.path, 'label_smoothing'],
          },
        ]
      : [];
  const worst = await worstRows(input, pass, perElement.data);
  return {
    id,
    type: 'loss',
    ok: true,
    ...(title === undefined ? {} : { title }),
    loss: toNested(loss),
    per_sample: toNested(perElement),
    streamed: {
      file: input.logits.file.name,
      stats: statsOf(pass, perElement.data, input.classes, worst),
      per_row: rowFacts(pass),
      ...(input.classes ? { names: input.classes } : {}),
    },
    warnings: [...warnings, ...extra],
    view: streamedView(input, pass, labelSmoothing),
  };
}

// The shapes every consumer of the engine sees: the CLI document, the worker's
// messages and the panel all use these types, so they cannot drift apart.

export type Dtype = 'float32' | 'float64';
export type CellType = 'markdown' | 'loss' | 'sweep' | 'train';
export type Reduction = 'none' | 'mean' | 'sum';

/** A JSON path from the document root, e.g. ["cells", 3, "target", 0]. */
export type JsonPath = (string | number)[];

/** Nested arrays of numbers (a tensor written out), or a single number for a 0-d tensor. */
export type Nested = number | Nested[];

/**
 * A result tensor as the engine computed it: its shape and its values in C order,
 * in the run's dtype (float32 as a Float32Array). Between threads a typed array is
 * copied as one block, and the JSON writer (jsonText.ts) streams it out as the
 * nested arrays the CLI document holds, so no N×C array of JS numbers is ever built.
 */
export interface ResultTensor {
  shape: number[];
  data: Float32Array | Float64Array;
}

export interface Problem {
  message: string;
  path: JsonPath;
  /** 'key': the problem is the property name at `path` (an unknown field), not its value. */
  at?: 'key';
  /** A value over limits: every limit it exceeds, with what it needs (the editor's "Raise these limits" writes them). */
  limits?: LimitSetting[];
}

/** A limit a value exceeds: its VS Code setting (`ceLab.limits.maxElements`) and the smallest value that lets it through. */
export interface LimitSetting {
  setting: string;
  needed: number;
}

export interface CellHeader {
  index: number;
  id: string;
  type: CellType;
  title?: string;
}

/** How a reduced loss was normalised, for the panel's "÷ Σw = 3.5 over 3 targets" caption. */
export interface Normalisation {
  reduction: Reduction;
  /** What the summed loss was divided by (Σw, or the element count), or null for sum/none. */
  divisor: number | null;
  /** Elements that counted (not ignored). */
  counted: number;
  /** Elements in total (N·d1·…·dk, or 1 for an unbatched input). */
  elements: number;
}

/**
 * What the panel draws of a loss cell, bounded whatever the cell's size: facts per
 * element (e runs over N·d1·…·dk in C order), and whole rows of C only for a cell
 * small enough to draw per class. The N×C tensors stay out of it (see PanelLossResult).
 */
export interface LossView {
  shape: number[];
  /** The class names the scenario gives, or null: classes are named by their index (see view/classNames.ts). */
  classes: string[] | null;
  targetKind: 'index' | 'probs';
  /**
   * Whether the logits are nested arrays in the file, so a knob can edit one:
   * class c of element e sits at [...cell, "logits", n, c, ...position] (or [..., "logits", c] unbatched).
   */
  logitsEditable: boolean;
  /** Class index per element (index targets), else null. */
  targetIndex: number[] | null;
  ignored: boolean[];
  /** The class weight that multiplies each element's loss (1 without weights). */
  elementWeight: number[];
  normalisation: Normalisation;
  temperature: number;
  labelSmoothing: number;
  /** Per element, the numbers read at two classes: the whole of what the panel shows of a cell too big for `rows`. */
  summary: ElementSummary;
  /** Rows of C per element, or null past VIEW_MAX_CLASSES classes or VIEW_MAX_VALUES values (the export has every number). */
  rows: ElementRows | null;
  /** Why the cell has no `calibration` though it has 1,000 rows or more (e.g. probability targets); absent otherwise. */
  calibrationAbsent?: string;
  /** While a streamed cell's calibration passes run after its loss was reported: what they do. Absent otherwise. */
  calibrating?: string;
}

/** Columns with one entry per element. */
export interface ElementSummary {
  /** The class an element's numbers are read at: its index target, else the heaviest class of its target distribution. */
  targetClass: number[];
  /** The most probable class (the first, on a tie). */
  topClass: number[];
  /** P, Y and ∂loss/∂z at targetClass (NaN where it is not a class, e.g. an ignored element's ignore_index). */
  probAtTarget: number[];
  targetAtTarget: number[];
  gradAtTarget: number[];
  /** P and ∂loss/∂z at topClass. */
  probAtTop: number[];
  gradAtTop: number[];
  /** For a cell without `rows`: each element's VIEW_TOP_K most probable classes, most probable first, and their P. */
  top: { classes: number[][]; probs: number[][] } | null;
}

/** Whole rows of C per element. */
export interface ElementRows {
  /** The logits as written (before temperature). */
  logits: number[][];
  probs: number[][];
  grad: number[][];
  /** The distribution the loss pulls each element towards (after label smoothing). */
  target: number[][];
}

export interface LossResult {
  id: string;
  type: 'loss';
  ok: true;
  title?: string;
  loss: Nested;
  per_sample: Nested;
  /** The N×C tensors, for a cell held whole; a streamed cell keeps none (see `streamed`). */
  probs?: ResultTensor;
  log_probs?: ResultTensor;
  grad?: ResultTensor;
  /** A cell whose logits were streamed from their file: its figures and per-row facts instead of N×C tensors. */
  streamed?: StreamedLoss;
  /** Calibration of the top class (docs/CALIBRATION.md): asked for with `calibration`, or by itself from 1,000 rows. */
  calibration?: Calibration;
  warnings: Problem[];
  view: LossView;
}

/** One bin of the reliability diagram: confidences in (lower, upper]; `confidence` and `accuracy` only where it holds rows. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  confidence?: number;
  accuracy?: number;
}

/** A loss cell's calibration, over its counted rows, with its own temperature applied; computed in float64. */
export interface Calibration {
  bins: number;
  /** Σ_b n_b/N·|acc_b − conf_b|. */
  ece: number;
  /** The largest |acc_b − conf_b| over non-empty bins. */
  mce: number;
  /** Mean over rows of Σ_c (p_c − y_c)². */
  brier: number;
  /** Mean −log p(target), without weights or label smoothing. */
  nll: number;
  accuracy: number;
  /** Counted rows (not ignore_index). */
  rows: number;
  reliability: ReliabilityBin[];
  /** The temperature minimising the NLL of logits / T (of the logits as written), and the figures there. */
  temperature: {
    fitted: number;
    nll: number;
    ece: number;
    /** The NLL still falls past the end of the searched range [0.001, 1000] (e.g. every row right): `fitted` is that end. */
    bounded: boolean;
    /** Passes over the rows the fit took. */
    passes: number;
    reliability: ReliabilityBin[];
  };
}

/** What a streamed loss cell shows, bounded whatever N is (`per_row` and `names` excepted: the panel never receives them). */
export interface StreamedLoss {
  /** The logits file, as the scenario names it. */
  file: string;
  stats: StreamedLossStats;
  /** One entry per element, for the CLI's --json; absent from what the panel receives. */
  per_row?: RowFacts;
  /** The class names, where the cell has them (for pages of rows); absent from what the panel receives. */
  names?: string[];
}

export interface StreamedLossStats {
  elements: number;
  /** Elements whose target is not ignore_index. */
  counted: number;
  /** Over counted elements: the top class is the target; the target is among the 5 most probable. */
  accuracy: number;
  top5_accuracy: number;
  /** Mean −Σ p log p over counted elements, in nats. */
  mean_entropy: number;
  /** exp(mean per-element loss over counted elements): perplexity where elements are tokens. */
  perplexity: number;
  /** Per-element losses of counted elements; `log`: bins of equal width in log10 (the losses span decades). */
  histogram: { edges: number[]; counts: number[]; log: boolean };
  /** The elements with the largest loss, largest first. */
  worst: WorstRow[];
  /** (target → top class) mistakes, most frequent first. */
  confused: { target: number; predicted: number; count: number; targetName: string; predictedName: string }[];
}

export interface WorstRow {
  element: number;
  target: number;
  targetName: string;
  loss: number;
  p_target: number;
  /** Classes ranked above the target (0: it is the top class). */
  rank: number;
  top: { classes: number[]; names: string[]; probs: number[] };
}

/** A page of a streamed loss cell's per-element facts, asked for by the panel (the columns stay in the worker). */
export interface RowsPage {
  /** Elements in the cell. */
  total: number;
  /** The first element of the page. */
  from: number;
  rows: PageRow[];
}

export interface PageRow {
  element: number;
  /** Class index, −1 where ignored. */
  target: number;
  targetName: string;
  top_class: number;
  topName: string;
  /** The element's loss as the cell's reduction counts it (label smoothing included). */
  loss: number;
  p_target: number;
  rank: number;
  /** −Σ p log p, in nats. */
  entropy: number;
}

/** One element of a loss cell asked for by the panel: its most probable classes and its target, with every number there. */
export interface RowDetail {
  element: number;
  /** Class index, −1 where ignored. */
  target: number;
  targetName: string;
  loss: number;
  /** Classes in the row. */
  classCount: number;
  /** The DETAIL_CLASSES most probable classes, most probable first, then the target when it is not among them. */
  classes: number[];
  /** How many of `classes` are the most probable ones. */
  topCount: number;
  names: string[];
  logits: number[];
  probs: number[];
  logProbs: number[];
  grad: number[];
}

/** Columns with one entry per element. */
export interface RowFacts {
  target: number[];
  top_class: number[];
  p_target: number[];
  rank: number[];
  entropy: number[];
}

/** The N×C tensors of a loss result: written by the CLI and the exports, never sent to the panel. */
export type LossTensorField = 'probs' | 'log_probs' | 'grad';
/** A loss result as the panel receives it: `view` draws it, the N×C tensors stay with the host. */
export type PanelLossResult = Omit<LossResult, LossTensorField>;

export interface SweepResult {
  id: string;
  type: 'sweep';
  ok: true;
  title?: string;
  param: string;
  values: number[];
  loss: Nested[];
  /** d(loss)/d(swept logit) per point; null when the swept knob is not a logit. */
  grad: number[] | null;
  /** With `"ece": true`: the loss cell's expected calibration error at each point (docs/CALIBRATION.md). */
  ece?: number[];
  warnings: Problem[];
  view: { of: string; current: number | null };
}

export interface LayerParams {
  weight: number[][];
  bias: number[];
}

/** Class probabilities of the model over a grid covering 2-D inputs. */
export interface DecisionGrid {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** Cells per side; `argmax` and `confidence` hold size·size entries, row-major from yMin. */
  size: number;
  argmax: number[];
  confidence: number[];
}

export interface TrainResult {
  id: string;
  type: 'train';
  ok: true;
  title?: string;
  losses: number[];
  accuracy: number[];
  final: { params: LayerParams[]; probs: number[][] };
  warnings: Problem[];
  view: {
    classes: string[];
    /** The training targets (class indices), one per sample of `final.probs`. */
    target: number[];
    /** The training inputs and targets, for scatter plots (2-D inputs only). */
    points: { x: number[][]; target: number[] } | null;
    boundary: DecisionGrid | null;
  };
}

export interface MarkdownResult {
  id: string;
  type: 'markdown';
  ok: true;
  title?: string;
  text: string;
}

export interface CellFailure {
  id: string;
  type: CellType;
  ok: false;
  title?: string;
  error: Problem;
}

export type CellSuccess = LossResult | SweepResult | TrainResult | MarkdownResult;
export type CellResult = CellSuccess | CellFailure;
export type PanelCellSuccess = PanelLossResult | SweepResult | TrainResult | MarkdownResult;
export type PanelCellResult = PanelCellSuccess | CellFailure;

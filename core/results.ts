// The shapes every consumer of the engine sees: the CLI document, the worker's
// messages and the panel all use these types, so they cannot drift apart.

export type Dtype = 'float32' | 'float64';
export type CellType = 'markdown' | 'loss' | 'sweep' | 'train';
export type Reduction = 'none' | 'mean' | 'sum';

/** A JSON path from the document root, e.g. ["cells", 3, "target", 0]. */
export type JsonPath = (string | number)[];

/** Nested arrays of numbers (a tensor written out), or a single number for a 0-d tensor. */
export type Nested = number | Nested[];

export interface Problem {
  message: string;
  path: JsonPath;
  /** 'key': the problem is the property name at `path` (an unknown field), not its value. */
  at?: 'key';
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

/** Per-element facts the panel draws; element e runs over N·d1·…·dk in C order. */
export interface LossView {
  shape: number[];
  classes: string[];
  targetKind: 'index' | 'probs';
  /** The logits as written (before temperature), rows of C per element. */
  logits: number[][];
  /**
   * Whether the logits are nested arrays in the file, so a knob can edit one:
   * class c of element e sits at [...cell, "logits", n, c, ...position] (or [..., "logits", c] unbatched).
   */
  logitsEditable: boolean;
  /** Class index per element (index targets), else null. */
  targetIndex: number[] | null;
  /** The distribution the loss pulls each element towards (after label smoothing), rows of C. */
  targetDistribution: number[][];
  ignored: boolean[];
  /** The class weight that multiplies each element's loss (1 without weights). */
  elementWeight: number[];
  normalisation: Normalisation;
  temperature: number;
  labelSmoothing: number;
}

export interface LossResult {
  id: string;
  type: 'loss';
  ok: true;
  title?: string;
  loss: Nested;
  per_sample: Nested;
  probs: Nested;
  log_probs: Nested;
  grad: Nested;
  warnings: Problem[];
  view: LossView;
}

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

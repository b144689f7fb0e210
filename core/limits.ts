// Hard limits on what one run may ask for, checked before any allocation or
// loop, so a scenario that would take minutes or gigabytes is refused at once
// with the JSON path of the value at fault, the limit, and how to raise it.
// Defaults fit an interactive tool on a laptop: every run inside them answers
// within a few seconds in well under 1 GB (see docs/limits.md).
import type { JsonPath } from './results';
import { ScenarioError } from './scenario/problems';
import { formatShape } from './tensor';

export interface Limits {
  /** Elements of one tensor held whole (nested array, random, a tensor file); a loss cell's logits file past this streams. */
  maxElements: number;
  /** Elements of a loss cell's logits file read block by block (its memory is bounded; this bounds its time). */
  maxStreamedElements: number;
  /** Elements of all tensors, datasets and parameters of one run together. */
  maxTotalElements: number;
  /** Width of one Linear layer (in or out features). */
  maxLayerWidth: number;
  /** Weights and biases of one model. */
  maxParameters: number;
  /** Samples of a toy dataset (`n`). */
  maxSamples: number;
  /** Optimizer steps of one train cell. */
  maxTrainSteps: number;
  /** Points of one sweep. */
  maxSweepSteps: number;
  /** Multiply-adds of the train and sweep cells of one run together (steps × batch rows × parameters; sweep points × logits). */
  maxWork: number;
  /** Nesting depth of the scenario's JSON. */
  maxDepth: number;
  /** Cells of one scenario. */
  maxCells: number;
  /** Bytes of a scenario file or a tensor file. */
  maxFileBytes: number;
}

export type LimitName = keyof Limits;

interface LimitInfo {
  default: number;
  /** What is counted: "elements". */
  noun: string;
  /** The limit's scope, for messages: "elements per tensor". */
  unit: string;
  /** The CLI flag that sets it. */
  flag: string;
}

export const LIMIT_INFO: Record<LimitName, LimitInfo> = {
  maxElements: { noun: 'elements', default: 4_000_000, unit: 'elements per tensor', flag: '--max-elements' },
  maxStreamedElements: { noun: 'elements', default: 1e9, unit: 'elements per streamed file', flag: '--max-streamed-elements' },
  maxTotalElements: { noun: 'elements', default: 8_000_000, unit: 'elements in one run', flag: '--max-total-elements' },
  maxLayerWidth: { noun: 'features', default: 4096, unit: 'features per layer', flag: '--max-layer-width' },
  maxParameters: { noun: 'parameters', default: 250_000, unit: 'parameters per model', flag: '--max-parameters' },
  maxSamples: { noun: 'samples', default: 100_000, unit: 'samples per dataset', flag: '--max-samples' },
  maxTrainSteps: { noun: 'steps', default: 100_000, unit: 'training steps per cell', flag: '--max-train-steps' },
  maxSweepSteps: { noun: 'points', default: 10_000, unit: 'points per sweep', flag: '--max-sweep-steps' },
  maxWork: { noun: 'multiply-adds', default: 1e11, unit: 'multiply-adds in one run', flag: '--max-work' },
  maxDepth: { noun: 'levels', default: 64, unit: 'levels of JSON nesting', flag: '--max-depth' },
  maxCells: { noun: 'cells', default: 100_000, unit: 'cells', flag: '--max-cells' },
  maxFileBytes: { noun: 'bytes', default: 16 * 1024 * 1024, unit: 'bytes per file', flag: '--max-file-bytes' },
};

export const LIMIT_NAMES = Object.keys(LIMIT_INFO) as LimitName[];

export const DEFAULT_LIMITS: Limits = Object.fromEntries(LIMIT_NAMES.map((name) => [name, LIMIT_INFO[name].default])) as Record<LimitName, number>;

/** The VS Code setting that sets a limit. */
export const settingOf = (name: LimitName): string => `ceLab.limits.${name}`;

/** Defaults overridden by the positive numbers in `partial` (anything else is ignored). */
export function resolveLimits(partial: Partial<Record<LimitName, unknown>> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value = partial && Object.hasOwn(partial, name) ? partial[name] : undefined;
    if (typeof value === 'number' && value > 0) limits[name] = value;
  }
  return limits;
}

/** 1234567 → "1,234,567"; huge or fractional values in exponent form. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1e15 || !Number.isInteger(n)) return n.toPrecision(3).replace('+', '');
  return n.toLocaleString('en-US');
}

/** How to raise a limit, for messages. */
export function howToRaise(name: LimitName): string {
  return `raise it with the setting ${settingOf(name)} or the CLI flag ${LIMIT_INFO[name].flag}`;
}

/** Why a file of `size` bytes is refused. */
export function fileTooBig(size: number, maxBytes: number): string {
  return `it has ${formatCount(size)} bytes; the limit is ${formatCount(maxBytes)} ${LIMIT_INFO.maxFileBytes.unit} (${howToRaise('maxFileBytes')})`;
}

/** A limit to check along with a charge: `amount` against limit `name`; `what` says what was counted. */
export interface LimitCheck {
  name: LimitName;
  amount: number;
  what: string;
}

/** A limit a value exceeds: which, what it needs, and the sentence that says so. */
interface Exceeded {
  name: LimitName;
  needed: number;
  message: string;
}

/** `amount` against limit `name`: null within it, else what is over; `what` says what was counted ("[10000, 10000] has"). */
function over(limits: Limits, name: LimitName, amount: number, what: string): Exceeded | null {
  const limit = limits[name];
  if (amount <= limit) return null;
  return {
    name,
    needed: amount,
    message: `${what} ${formatCount(amount)} ${LIMIT_INFO[name].noun}; the limit is ${formatCount(limit)} ${LIMIT_INFO[name].unit} (${howToRaise(name)}).`,
  };
}

/**
 * Throws one error at `path` naming every limit among `checks` that is exceeded (none: nothing happens), so
 * raising limits takes one round, not one per limit. The checks are of one value, before anything is allocated.
 */
function throwIfOver(path: JsonPath, ...checks: (Exceeded | null)[]): void {
  const exceeded = checks.filter((e): e is Exceeded => e !== null);
  if (exceeded.length === 0) return;
  const message =
    exceeded.length === 1
      ? exceeded[0].message
      : `Over ${exceeded.length} limits at once (each must be raised): ${exceeded.map((e, i) => `(${i + 1}) ${e.message}`).join(' ')}`;
  const limits = exceeded.map((e) => ({ setting: settingOf(e.name), needed: e.needed }));
  throw new ScenarioError(message, path, limits);
}

/** Throws at `path` when `amount` exceeds the limit; `what` says what was counted ("[10000, 10000] has"). */
export function checkLimit(limits: Limits, name: LimitName, amount: number, what: string, path: JsonPath): void {
  throwIfOver(path, over(limits, name, amount, what));
}

/** A product of sizes that stays exact-enough and never overflows to a wrong small number. */
export function product(sizes: readonly number[]): number {
  let p = 1;
  for (const s of sizes) p *= s;
  return p;
}

/**
 * What one run has used so far of the scenario-wide limits (elements, work).
 * Charged as values are read, before they are allocated.
 */
export class Budget {
  private elements = 0;
  private work = 0;

  constructor(readonly limits: Limits) {}

  /**
   * Checks a tensor's shape at `path` (its dimensions: results nest that deep; its elements; the run's with them),
   * naming every limit it exceeds at once, then charges it to the run.
   */
  tensor(shape: readonly number[], what: string, path: JsonPath): void {
    const count = product(shape);
    throwIfOver(
      path,
      over(this.limits, 'maxDepth', shape.length, `${what} ${shape.length} dimensions, so its results would nest`),
      over(this.limits, 'maxElements', count, `${what} shape ${formatShape(shape)}:`),
      over(this.limits, 'maxTotalElements', this.elements + count, 'With this value the run holds'),
    );
    this.elements += count;
  }

  /**
   * Charges elements that are not one tensor the user wrote (datasets, parameters, results); `what` says what they are.
   * `also`: other limits of the same value, named in the same error as the run's total.
   */
  chargeElements(count: number, path: JsonPath, what = 'With this value', also: LimitCheck[] = []): void {
    throwIfOver(
      path,
      ...also.map((c) => over(this.limits, c.name, c.amount, c.what)),
      over(this.limits, 'maxTotalElements', this.elements + count, `${what} the run holds`),
    );
    this.elements += count;
  }

  /**
   * Charges `amount` multiply-adds; `what` says what needs them ("This training (100 steps × 32 rows × 1,000 parameters)").
   * `also`: other limits of the same value, named in the same error.
   */
  chargeWork(amount: number, what: string, path: JsonPath, also: LimitCheck[] = []): void {
    const before = this.work > 0 ? ', with the cells before it,' : '';
    throwIfOver(
      path,
      ...also.map((c) => over(this.limits, c.name, c.amount, c.what)),
      over(this.limits, 'maxWork', this.work + amount, `${what}${before} brings the run to`),
    );
    this.work += amount;
  }
}

// A loss cell's `calibration` option: absent (computed by itself from
// AUTO_ROWS rows), `false` (never), `true` (the defaults) or {"bins": B}; and
// whether a cell gets calibration figures, gets none with a reason, or fails.
import type { JsonPath } from '../results';
import { ScenarioError } from '../scenario/problems';
import { describeValue, expectObject, fields, type FieldReader } from '../scenario/read';

export const DEFAULT_BINS = 15;
export const MIN_BINS = 2;
export const MAX_BINS = 100;
/** A cell with this many rows (elements) or more gets calibration without asking. */
export const AUTO_ROWS = 1000;

/** What the cell says: nothing, `false`, or bins it asks for. */
export type CalibrationRequest = { kind: 'auto' } | { kind: 'off' } | { kind: 'asked'; bins: number; path: JsonPath };

export function readCalibrationOption(f: FieldReader): CalibrationRequest {
  if (!f.has('calibration')) return { kind: 'auto' };
  const value = f.raw('calibration');
  const path = f.at('calibration');
  if (value === false) return { kind: 'off' };
  if (value === true) return { kind: 'asked', bins: DEFAULT_BINS, path };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScenarioError(`calibration must be true, false or {"bins": ${MIN_BINS}..${MAX_BINS}}; got ${describeValue(value)}.`, path);
  }
  const options = fields(expectObject(value, path, 'calibration'), path);
  const bins = options.integer('bins', DEFAULT_BINS, (b) =>
    b >= MIN_BINS && b <= MAX_BINS ? null : `must be from ${MIN_BINS} to ${MAX_BINS}, got ${b}.`,
  );
  return { kind: 'asked', bins, path };
}

/** What a cell's rows allow. */
export interface CalibrationFacts {
  targetKind: 'index' | 'probs';
  /** Rows (elements), and those not at ignore_index. */
  elements: number;
  counted: number;
}

export type CalibrationPlan = { bins: number } | { absent: string } | null;

/** The bins to compute; for an automatic one a reason it is absent; null when not wanted. An explicit request the rows cannot serve throws at its path. */
export function calibrationPlan(request: CalibrationRequest, facts: CalibrationFacts): CalibrationPlan {
  if (request.kind === 'off' || (request.kind === 'auto' && facts.elements < AUTO_ROWS)) return null;
  const why =
    facts.targetKind === 'probs'
      ? 'calibration needs class labels: this cell’s targets are probabilities.'
      : facts.elements < 2
        ? `calibration needs at least 2 rows; this cell has ${facts.elements}.`
        : facts.counted === 0
          ? 'calibration needs counted rows: every row is at ignore_index.'
          : null;
  if (why && request.kind === 'asked') throw new ScenarioError(why.charAt(0).toUpperCase() + why.slice(1), request.path);
  if (why) return { absent: why.charAt(0).toUpperCase() + why.slice(1) };
  return { bins: request.kind === 'asked' ? request.bins : DEFAULT_BINS };
}

// The table twins of the loss charts (also used for a train cell's final probabilities).
import { fmtShort } from '../format';
import { hasWholeRows, type ElementRow } from '../lossData';
import type { TableData } from './table';
import { VIEW_MAX_CLASSES } from '../../core/view';

/**
 * Past this many classes a column per class would be a table of millions of
 * cells (a language model's 50,257): the table keeps the target's and the most
 * likely class's columns; the JSON export still has every number. The same
 * holds for a cell whose rows the engine left out of the panel's view (lossView.ts).
 */
export const MAX_TABLE_CLASSES = VIEW_MAX_CLASSES;
const WIDE_NOTE = ' (the target class and the most probable one; export JSON for every class)';

const isWide = (rows: ElementRow[], classes: string[]) => classes.length > MAX_TABLE_CLASSES || !hasWholeRows(rows, classes.length);

function targetText(row: ElementRow, classes: string[]): string {
  if (row.ignored) return 'ignored';
  return row.targetIndex !== null ? (classes[row.targetIndex] ?? String(row.targetIndex)) : 'soft';
}

/** "the (0.1234), a (0.0567), …": an element's most probable classes. */
const topText = (row: ElementRow, classes: string[]): string =>
  (row.top?.classes ?? []).map((c, i) => `${classes[c] ?? c} (${fmtShort(row.top?.probs[i] ?? NaN)})`).join(', ');

export function probsTable(rows: ElementRow[], classes: string[]): TableData {
  if (isWide(rows, classes)) {
    const k = rows[0]?.top?.classes.length ?? 0;
    return {
      caption: `Softmax probabilities P and target Y per element, ${classes.length} classes${WIDE_NOTE}`,
      columns: ['element', 'target', 'P(target)', 'Y(target)', 'most probable', 'P(most probable)', ...(k ? [`top ${k} (P)`] : [])],
      rows: rows.map((r) => [
        r.label,
        targetText(r, classes),
        r.probAtTarget,
        r.targetAtTarget,
        classes[r.topClass] ?? String(r.topClass),
        r.probAtTop,
        ...(k ? [topText(r, classes)] : []),
      ]),
    };
  }
  return {
    caption: 'Softmax probabilities P and target distribution Y per element',
    columns: ['element', 'target', ...classes.map((c) => `P(${c})`), ...classes.map((c) => `Y(${c})`)],
    rows: rows.map((r) => [r.label, targetText(r, classes), ...r.probs, ...r.target]),
  };
}

export function gradTable(rows: ElementRow[], classes: string[]): TableData {
  if (isWide(rows, classes)) {
    return {
      caption: `Gradient ∂loss/∂logit per element, ${classes.length} classes${WIDE_NOTE}`,
      columns: ['element', 'target', '∂L/∂z(target)', 'most probable', '∂L/∂z(most probable)'],
      rows: rows.map((r) => [r.label, targetText(r, classes), r.gradAtTarget, classes[r.topClass] ?? String(r.topClass), r.gradAtTop]),
    };
  }
  return {
    caption: 'Gradient ∂loss/∂logit per element and class',
    columns: ['element', 'target', ...classes.map((c) => `∂L/∂z(${c})`)],
    rows: rows.map((r) => [r.label, targetText(r, classes), ...r.grad]),
  };
}

export function perElementTable(rows: ElementRow[], classes: string[]): TableData {
  return {
    caption: 'Unreduced loss per element',
    columns: ['element', 'target', 'loss', 'weight'],
    rows: rows.map((r) => [r.label, targetText(r, classes), r.loss, r.weight]),
  };
}

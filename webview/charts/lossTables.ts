// The table twins of the loss charts (also used for a train cell's final probabilities).
import { argmax, type ElementRow } from '../lossData';
import type { TableData } from './table';

/**
 * Past this many classes a column per class would be a table of millions of
 * cells (a language model's 50,257): the table keeps the target's and the most
 * likely class's columns; the JSON export still has every number.
 */
export const MAX_TABLE_CLASSES = 24;
const WIDE_NOTE = ' (the target class and the most probable one; export JSON for every class)';

/** The class a row's numbers are read at: its index target, else its heaviest target class. */
function targetClass(row: ElementRow): number {
  return row.targetIndex ?? argmax(row.target);
}

function targetText(row: ElementRow, classes: string[]): string {
  if (row.ignored) return 'ignored';
  return row.targetIndex !== null ? (classes[row.targetIndex] ?? String(row.targetIndex)) : 'soft';
}

export function probsTable(rows: ElementRow[], classes: string[]): TableData {
  if (classes.length > MAX_TABLE_CLASSES) {
    return {
      caption: `Softmax probabilities P and target Y per element, ${classes.length} classes${WIDE_NOTE}`,
      columns: ['element', 'target', 'P(target)', 'Y(target)', 'most probable', 'P(most probable)'],
      rows: rows.map((r) => {
        const t = targetClass(r);
        const top = argmax(r.probs);
        return [r.label, targetText(r, classes), r.probs[t], r.target[t] ?? NaN, classes[top] ?? String(top), r.probs[top]];
      }),
    };
  }
  return {
    caption: 'Softmax probabilities P and target distribution Y per element',
    columns: ['element', 'target', ...classes.map((c) => `P(${c})`), ...classes.map((c) => `Y(${c})`)],
    rows: rows.map((r) => [r.label, targetText(r, classes), ...r.probs, ...r.target]),
  };
}

export function gradTable(rows: ElementRow[], classes: string[]): TableData {
  if (classes.length > MAX_TABLE_CLASSES) {
    return {
      caption: `Gradient ∂loss/∂logit per element, ${classes.length} classes${WIDE_NOTE}`,
      columns: ['element', 'target', '∂L/∂z(target)', 'most probable', '∂L/∂z(most probable)'],
      rows: rows.map((r) => {
        const top = argmax(r.probs);
        return [r.label, targetText(r, classes), r.grad[targetClass(r)], classes[top] ?? String(top), r.grad[top]];
      }),
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

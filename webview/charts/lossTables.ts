// The table twins of the loss charts (also used for a train cell's final probabilities).
import type { ElementRow } from '../lossData';
import type { TableData } from './table';

function targetText(row: ElementRow, classes: string[]): string {
  if (row.ignored) return 'ignored';
  return row.targetIndex !== null ? (classes[row.targetIndex] ?? String(row.targetIndex)) : 'soft';
}

export function probsTable(rows: ElementRow[], classes: string[]): TableData {
  return {
    caption: 'Softmax probabilities P and target distribution Y per element',
    columns: ['element', 'target', ...classes.map((c) => `P(${c})`), ...classes.map((c) => `Y(${c})`)],
    rows: rows.map((r) => [r.label, targetText(r, classes), ...r.probs, ...r.target]),
  };
}

export function gradTable(rows: ElementRow[], classes: string[]): TableData {
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

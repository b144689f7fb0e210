// Every chart's numbers as a real <table>: for screen readers, keyboard users,
// tests, and the CSV export, which is written from the same rows.
import { el } from '../dom';
import { fmt } from '../format';

export type CellValue = string | number;

export interface TableData {
  caption: string;
  columns: string[];
  rows: CellValue[][];
  /** Rows beyond this are left out of the DOM (the CSV export still has them all). */
  maxRows?: number;
  /** For long series `rows` holds only the first rows: how many there are in all, and all of them for the CSV. */
  total?: number;
  allRows?: () => CellValue[][];
}

const DEFAULT_MAX_ROWS = 500;

export function renderTable(table: HTMLTableElement, data: TableData): void {
  const limit = data.maxRows ?? DEFAULT_MAX_ROWS;
  const shown = data.rows.slice(0, limit);
  const total = data.total ?? data.rows.length;
  const note = total > shown.length ? ` (first ${shown.length} of ${total} rows; export CSV for all)` : '';
  const head = el('tr', {}, ...data.columns.map((c) => el('th', { scope: 'col' }, c)));
  const body = shown.map((row) =>
    el('tr', {}, ...row.map((v, i) => (i === 0 ? el('th', { scope: 'row' }, cellText(v)) : el('td', {}, cellText(v))))),
  );
  table.replaceChildren(el('caption', {}, data.caption + note), el('thead', {}, head), el('tbody', {}, ...body));
}

function cellText(v: CellValue): string {
  return typeof v === 'number' ? fmt(v) : v;
}

export function toCsv(data: TableData): string {
  const quote = (v: CellValue) => {
    const s = typeof v === 'number' ? String(v) : v;
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [data.columns, ...(data.allRows?.() ?? data.rows)].map((row) => row.map(quote).join(',')).join('\n') + '\n';
}

// Number and label formatting shared by captions, tables and tooltips.
import { assertNever, type Normalisation } from '../core/view';

/** Fixed 6 decimals for table and loss text (at least the 4 a loss needs to be compared by eye), exponent for tiny values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return x.toExponential(4);
  return x.toFixed(6);
}

/** Short form for axis ticks and captions. */
export function fmtShort(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : fmt(x);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "÷ Σw = 3.5 over 3 non-ignored targets" and friends. */
export function describeNormalisation(n: Normalisation, weighted: boolean): string {
  const ignored = n.elements - n.counted;
  const over = ignored > 0 ? `over ${n.counted} non-ignored of ${plural(n.elements, 'target')}` : `over ${plural(n.counted, 'target')}`;
  switch (n.reduction) {
    case 'none':
      return `reduction "none": ${plural(n.elements, 'element')} reported one by one, nothing summed`;
    case 'sum':
      return `Σ ${over}, not divided`;
    case 'mean':
      if (n.divisor === null) return `mean ${over}`;
      return weighted ? `÷ Σw = ${fmtShort(n.divisor)} ${over}` : `÷ ${fmtShort(n.divisor)} ${over}`;
    default:
      return assertNever(n.reduction, 'reduction');
  }
}

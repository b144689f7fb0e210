// One element of a streamed loss cell, fetched when its row is clicked: P and
// the gradient at its most probable classes and its target, as a chart and a
// table (the engine sends those classes only: a 50,257-class row stays there).
import type { RowDetail } from '../../core/view';
import { rowDetailChart } from '../charts/lossCharts';
import type { Figure } from '../charts/figure';
import { el } from '../dom';
import { fmt, fmtShort } from '../format';
import type { Palette } from '../theme';

/** The host's answer to a row clicked: the element's detail, or why there is none. */
export type RowDetailAnswer = { element: number; detail: RowDetail } | { element: number; error: string };

/** The figure a detail needs (none for an error). */
export const rowDetailFigure = (answer: RowDetailAnswer, key: string) =>
  'error' in answer ? [] : [{ key, title: `Element #${answer.element}: softmax P and the gradient`, tableTestId: `detail-table-${key}` }];

/** The answer's caption (or why there is none), and its chart and table in `figure`. */
export function renderRowDetail(answer: RowDetailAnswer, key: string, figure: Figure | undefined, p: Palette): HTMLElement {
  if ('error' in answer) return el('p', { class: 'problem-text' }, `Element #${answer.element}: ${answer.error}`);
  const d = answer.detail;
  const target = d.target < 0 ? 'ignored' : `target “${d.targetName}”`;
  figure?.render(rowDetailChart(d, p));
  figure?.setTable(
    {
      caption: `Element #${d.element}: the classes shown`,
      columns: ['class', 'logit', 'P', 'log P', '∂loss/∂logit'],
      rows: d.classes.map((_, i) => [d.names[i], d.logits[i], fmtShort(d.probs[i]), d.logProbs[i], d.grad[i]]),
    },
    () => d,
  );
  return el(
    'p',
    { 'data-testid': `detail-${key}` },
    `Element #${d.element} (${target}, loss ${fmt(d.loss)}): its ${d.topCount} most probable of ${d.classCount.toLocaleString('en-US')} classes`,
    d.target >= 0 ? ' and its target (outlined).' : '.',
  );
}

// What the panel shows of a loss cell streamed from its file: the figures of
// the whole run, the per-element loss histogram (log bins when the losses span
// decades), the worst elements with their most probable classes, and the most
// confused pairs. All of it arrives bounded (core/results.ts, StreamedLoss).
import type { StreamedLoss } from '../../core/view';
import { showLossHistogram } from '../charts/lossCharts';
import { button, el } from '../dom';
import { renderRowDetail, rowDetailFigure, type RowDetailAnswer } from './rowDetail';
import { fmt, fmtShort } from '../format';
import type { Palette } from '../theme';
import type { FigureSet } from './figureSet';
import { stat } from './stat';

const percent = (v: number) => `${(100 * v).toFixed(2)}%`;

function figuresOf(streamed: StreamedLoss, id: string): HTMLElement {
  const s = streamed.stats;
  return el(
    'div',
    { class: 'stats', 'data-testid': `stats-${id}` },
    stat('accuracy', percent(s.accuracy), 'Counted elements whose most probable class is their target.'),
    stat('top-5', percent(s.top5_accuracy), 'Counted elements whose target is among their 5 most probable classes.'),
    stat('mean entropy', `${fmt(s.mean_entropy)} nats`, 'Mean of −Σ p log p over counted elements.'),
    stat('perplexity', fmtShort(s.perplexity), 'exp(mean per-element loss over counted elements): the perplexity where elements are tokens.'),
  );
}

function worstTable(streamed: StreamedLoss, id: string, ask: (element: number) => void): HTMLElement {
  const open = (element: number) =>
    button(`#${element}`, { class: 'link', title: 'Show this element’s softmax and gradient', 'data-testid': `row-${id}-${element}` }, () =>
      ask(element),
    );
  const head = el('tr', {}, ...['element', 'target', 'loss', 'p(target)', 'rank', 'most probable'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = streamed.stats.worst.map((w) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, open(w.element)),
      el('td', {}, w.targetName),
      el('td', {}, fmt(w.loss)),
      el('td', {}, fmtShort(w.p_target)),
      el('td', {}, w.rank < 0 ? '–' : String(w.rank + 1)),
      // The three most probable, each "name (p)" kept on one line; the row's detail has more.
      el(
        'td',
        {},
        w.top.names
          .slice(0, 3)
          .map((name, i) => `${name}\u00a0(${w.top.probs[i].toPrecision(2)})`)
          .join(', '),
      ),
    ),
  );
  return el(
    'table',
    { class: 'data-table worst', 'data-testid': `worst-${id}` },
    el('caption', {}, `The ${streamed.stats.worst.length} elements with the largest loss`),
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}

function confusedList(streamed: StreamedLoss): HTMLElement[] {
  const pairs = streamed.stats.confused;
  if (!pairs.length) return [el('p', {}, 'Every counted element has its target as the most probable class.')];
  return [
    el('h3', {}, 'Most confused classes'),
    el('ul', {}, ...pairs.map((c) => el('li', {}, `“${c.targetName}” predicted as “${c.predictedName}”: ${c.count}×`))),
  ];
}

/**
 * Fills `place` (the cell's summary area) and the cell's figures with a streamed cell's view, and the
 * element detail last asked for (a row clicked: `ask`), if any.
 */
export function renderStreamed(
  streamed: StreamedLoss,
  id: string,
  detail: RowDetailAnswer | null,
  ask: (element: number) => void,
  place: HTMLElement,
  figures: FigureSet,
  p: Palette,
): void {
  const s = streamed.stats;
  const hist = s.histogram;
  const title = `Loss per element: histogram of ${s.counted.toLocaleString('en-US')} elements${hist.log ? ' (log-spaced bins)' : ''}`;
  const detailKey = `${id}-detail`;
  const shown = figures.use([
    { key: `${id}-histogram`, title, tableTestId: `histogram-table-${id}` },
    ...(detail ? rowDetailFigure(detail, detailKey) : []),
  ]);
  place.replaceChildren(
    el(
      'p',
      { class: 'muted' },
      `${streamed.file}: ${s.elements.toLocaleString('en-US')} elements read in blocks, ${s.counted.toLocaleString('en-US')} counted.`,
    ),
    figuresOf(streamed, id),
    worstTable(streamed, id, ask),
    ...confusedList(streamed),
    detail
      ? renderRowDetail(detail, detailKey, shown.get(detailKey), p)
      : el('p', { class: 'muted' }, 'Click an element to see its softmax and gradient.'),
  );
  showLossHistogram(shown.get(`${id}-histogram`)!, hist, p);
}

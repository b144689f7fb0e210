// A loss cell: the reduced loss and how it was normalised, the knobs, and the
// charts of P against Y, the gradient and per-element loss (or, for many
// elements, a summary; for K-dim inputs, a per-position heatmap).
import { classNames, messageOf, type PanelLossResult, type StreamedLoss, type PanelCellState } from '../../core/view';
import type { Figure } from '../charts/figure';
import { gradChart, lossHeatmapChart, perElementLossChart, probsChart, showLossHistogram, type HeatCell } from '../charts/lossCharts';
import { gradTable, MAX_TABLE_CLASSES, perElementTable, probsTable } from '../charts/lossTables';
import { el } from '../dom';
import { describeNormalisation, fmt, fmtShort } from '../format';
import { Slider, linearScale, logScale, type SliderSpec } from '../knobs';
import { histogram, lossRows, mostConfused, type ElementRow } from '../lossData';
import type { Palette } from '../theme';
import type { CellBody, CellPlace } from './cellBody';
import { CalibrationView } from './calibrationView';
import { FigureSet } from './figureSet';
import { LogitBars } from './logitBars';
import { ElementPages } from './elementPages';
import { renderStreamed } from './streamedLoss';
import type { RowDetailAnswer } from './rowDetail';
import { request } from '../vscodeApi';

/** Above this many elements, bars become a histogram and a confusion summary. */
export const MAX_BAR_ELEMENTS = 40;
/** Past this many classes a strip of logit bars per element stops being readable. */
const MAX_LOGIT_BAR_CLASSES = 12;

export class LossCellView implements CellBody {
  readonly root: HTMLElement;
  private readonly lossText: HTMLOutputElement;
  private readonly caption: HTMLElement;
  private readonly confusion: HTMLElement;
  private readonly figures: FigureSet;
  private readonly smoothing: Slider;
  private readonly temperature: Slider;
  private readonly logits: LogitBars;
  private readonly calibration: CalibrationView;
  /** A streamed cell's last view, and the element detail shown with it. */
  private lastStreamed: StreamedLoss | null = null;
  private detail: RowDetailAnswer | null = null;
  /** Every element of a streamed cell, a page at a time. */
  private readonly pages: ElementPages;
  private palette: Palette | null = null;

  constructor(
    private readonly id: string,
    place: CellPlace,
  ) {
    this.lossText = el('output', { class: 'loss-value', 'data-testid': `loss-${id}`, 'aria-live': 'polite' });
    this.caption = el('span', { class: 'loss-caption', 'data-testid': `normalisation-${id}` });
    /** A knob that edits one field of this cell. */
    const knob = (field: string, options: Omit<SliderSpec, 'path' | 'testId'>) =>
      new Slider({ ...options, path: () => ['cells', place.index, field], testId: `knob-${field}-${id}` });
    this.smoothing = knob('label_smoothing', { label: 'label smoothing', ...linearScale(0, 1), step: 0.01, format: (v) => v.toFixed(2) });
    this.temperature = knob('temperature', { label: 'temperature', ...logScale(0.05, 5), step: 0.1, format: (v) => `T = ${fmtShort(v)}` });
    this.logits = new LogitBars(id, place);
    this.pages = new ElementPages(id, (element) => void this.ask(element));
    this.calibration = new CalibrationView(id, place);
    this.confusion = el('div', { class: 'confusion' });
    const charts = el('div', { class: 'figures' });
    this.figures = new FigureSet(charts);
    this.root = el(
      'div',
      { class: 'loss-cell' },
      el('div', { class: 'loss-line' }, el('span', { class: 'loss-label' }, 'loss'), this.lossText, this.caption),
      el('div', { class: 'knobs' }, this.smoothing.root, this.temperature.root),
      this.logits.root,
      this.confusion,
      charts,
      this.calibration.root,
    );
  }

  update(cell: PanelCellState, p: Palette): void {
    const result = cell.result;
    if (!result?.ok || result.type !== 'loss') return;
    const { view } = result;
    this.calibration.update(result.calibration, view.calibrationAbsent, view.temperature, p, view.calibrating);
    if (result.streamed) return this.updateStreamed(result, result.streamed, p);
    const rows = lossRows(result);
    this.lossText.textContent = typeof result.loss === 'number' ? fmt(result.loss) : `per element (${rows.length} values)`;
    this.caption.textContent = describeNormalisation(
      view.normalisation,
      rows.some((r) => r.weight !== 1),
    );
    this.smoothing.set(view.labelSmoothing);
    this.temperature.set(view.temperature);
    // A bar per class stops being readable long before a language model's vocabulary.
    const classes = classNames(view);
    const bars = rows.length <= MAX_BAR_ELEMENTS && classes.length <= MAX_TABLE_CLASSES && view.rows !== null;
    this.logits.root.hidden = !bars || classes.length > MAX_LOGIT_BAR_CLASSES;
    if (!this.logits.root.hidden) this.logits.update(view, rows, p);
    if (bars) this.renderBars(rows, result, classes, p);
    else this.renderSummary(rows, result, classes, p);
  }

  /** A cell streamed from its file: no per-element rows, its figures instead. */
  private updateStreamed(result: PanelLossResult, streamed: StreamedLoss, p: Palette): void {
    // A detail computed from other numbers (another file, another temperature) would mislead: it goes with them.
    const changed = JSON.stringify(this.lastStreamed) !== JSON.stringify(streamed);
    if (this.lastStreamed && changed) this.detail = null;
    this.lastStreamed = streamed;
    if (changed) this.pages.resultChanged(streamed.stats.elements);
    this.lossText.textContent = typeof result.loss === 'number' ? fmt(result.loss) : `per element (${streamed.stats.elements} values)`;
    this.caption.textContent = describeNormalisation(result.view.normalisation, false);
    this.smoothing.set(result.view.labelSmoothing);
    this.temperature.set(result.view.temperature);
    this.logits.root.hidden = true;
    this.palette = p;
    this.render(streamed, p);
  }

  private render(streamed: StreamedLoss, p: Palette): void {
    renderStreamed(streamed, this.id, this.detail, (element) => void this.ask(element), this.confusion, this.figures, p);
    this.confusion.append(this.pages.root);
  }

  /** A row clicked: the host asks the engine, which answers from the pass it kept. */
  private async ask(element: number): Promise<void> {
    let answer: RowDetailAnswer;
    try {
      answer = { element, detail: await request('rowDetail', { cellId: this.id, element }) };
    } catch (err) {
      answer = { element, error: messageOf(err) };
    }
    this.detail = answer;
    if (this.lastStreamed && this.palette) this.render(this.lastStreamed, this.palette);
  }

  private renderBars(rows: ElementRow[], result: PanelLossResult, classes: string[], p: Palette): void {
    this.confusion.replaceChildren();
    const figures = this.figures.use([
      { key: `${this.id}-probs`, title: 'Softmax P (filled) against target Y (outlined)', tableTestId: `probs-table-${this.id}` },
      { key: `${this.id}-grad`, title: 'Gradient ∂loss/∂logit', tableTestId: `grad-table-${this.id}` },
      { key: `${this.id}-per-element`, title: 'Loss per element', size: 'short', tableTestId: `per-element-table-${this.id}` },
      ...this.heatmapSpec(result),
    ]);
    const json = { cellResult: this.id };
    figures.get(`${this.id}-probs`)!.render(probsChart(rows, classes, p));
    figures.get(`${this.id}-probs`)!.setTable(probsTable(rows, classes), json);
    figures.get(`${this.id}-grad`)!.render(gradChart(rows, classes, p));
    figures.get(`${this.id}-grad`)!.setTable(gradTable(rows, classes), json);
    figures.get(`${this.id}-per-element`)!.render(perElementLossChart(rows, p));
    figures.get(`${this.id}-per-element`)!.setTable(perElementTable(rows, classes), json);
    this.renderHeatmap(figures.get(`${this.id}-heatmap`), rows, result, p);
  }

  private renderSummary(rows: ElementRow[], result: PanelLossResult, classes: string[], p: Palette): void {
    const counted = rows.filter((r) => !r.ignored);
    const hist = histogram(
      counted.map((r) => r.loss),
      20,
    );
    const figures = this.figures.use([
      { key: `${this.id}-histogram`, title: `Loss per element: histogram of ${counted.length} elements`, tableTestId: `histogram-table-${this.id}` },
      ...this.heatmapSpec(result),
      { key: `${this.id}-probs`, title: 'Softmax P and target Y (table)', chartless: true, tableTestId: `probs-table-${this.id}` },
      { key: `${this.id}-grad`, title: 'Gradient ∂loss/∂logit (table)', chartless: true, tableTestId: `grad-table-${this.id}` },
    ]);
    const json = { cellResult: this.id };
    showLossHistogram(figures.get(`${this.id}-histogram`)!, hist, p);
    figures.get(`${this.id}-probs`)!.setTable(probsTable(rows, classes), json);
    figures.get(`${this.id}-grad`)!.setTable(gradTable(rows, classes), json);
    this.renderHeatmap(figures.get(`${this.id}-heatmap`), rows, result, p);
    this.renderConfusion(counted, result.view.classes === null ? null : classes);
  }

  /** `names`: the scenario's class names, or null when it has none (a class is then called by its index). */
  private renderConfusion(rows: ElementRow[], names: string[] | null): void {
    const top = mostConfused(rows, 6);
    const wrong = rows.filter((r) => r.topClass !== r.targetClass).length;
    const called = (c: number) => (names ? `“${names[c]}”` : `class ${c}`);
    const items = top.map((c) => el('li', {}, `${called(c.target)} predicted as ${called(c.predicted)}: ${c.count}×`));
    this.confusion.replaceChildren(
      el('h3', {}, 'Most confused classes'),
      top.length ? el('ul', {}, ...items) : el('p', {}, 'Every counted element has its target as the most probable class.'),
      el('p', { class: 'muted' }, `${wrong} of ${rows.length} counted elements are not predicted as their target.`),
    );
  }

  private heatmapSpec(result: PanelLossResult) {
    const spatial = result.view.shape.slice(2);
    return spatial.length
      ? [
          {
            key: `${this.id}-heatmap`,
            title: 'Loss per position (stronger red = higher loss; grey = ignored)',
            size: 'tall' as const,
            tableTestId: `heatmap-table-${this.id}`,
          },
        ]
      : [];
  }

  private renderHeatmap(figure: Figure | undefined, rows: ElementRow[], result: PanelLossResult, p: Palette): void {
    if (!figure) return;
    const cols = result.view.shape[result.view.shape.length - 1];
    // A row's label is its first element's label without the last coordinate: "#0 (1, 2)" -> "#0 (1)".
    const rowLabels = Array.from({ length: rows.length / cols }, (_, r) => rows[r * cols].label.replace(/(, )?\d+\)$/, ')').replace(' ()', ''));
    const cells: HeatCell[] = rows.map((row, e) => ({ x: e % cols, y: Math.floor(e / cols), v: row.ignored ? NaN : row.loss }));
    figure.render(lossHeatmapChart(cells, rowLabels, cols, p));
    figure.setTable(
      {
        caption: 'Loss per position (rows: sample and leading positions; columns: last position)',
        columns: ['row', ...Array.from({ length: cols }, (_, i) => String(i))],
        rows: rowLabels.map((label, r) => [label, ...cells.slice(r * cols, r * cols + cols).map((c) => c.v)]),
      },
      { cellResult: this.id },
    );
  }

  destroy(): void {
    this.figures.destroy();
    this.calibration.destroy();
  }
}

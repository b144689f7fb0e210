// A loss cell's calibration (core/results.ts, Calibration): its figures, each
// defined on hover; the reliability diagram and the confidence histogram; a
// "Fit temperature" toggle that draws the fitted temperature's bins beside the
// cell's on the same axes; and a button that writes the fitted T into the
// cell's `temperature` as one undoable edit. It draws from the result alone, so
// moving the temperature slider (which re-runs the cell) moves it too.
import type { Calibration } from '../../core/view';
import { confidenceHistogramChart, reliabilityChart, reliabilityTable, type ReliabilitySeries } from '../charts/calibrationCharts';
import { button, el } from '../dom';
import { fmt, fmtShort } from '../format';
import type { Palette } from '../theme';
import { notify } from '../vscodeApi';
import type { CellPlace } from './cellBody';
import { FigureSet } from './figureSet';
import { stat } from './stat';

export class CalibrationView {
  readonly root: HTMLElement;
  private readonly head: HTMLElement;
  private readonly pending: HTMLElement;
  private readonly figures: FigureSet;
  private readonly fitToggle: HTMLButtonElement;
  private readonly apply: HTMLButtonElement;
  private showFit = false;
  private last: { calibration: Calibration; cellT: number; p: Palette } | null = null;

  constructor(
    private readonly id: string,
    private readonly place: CellPlace,
  ) {
    this.head = el('div', { class: 'stats', 'data-testid': `calibration-${id}` });
    this.fitToggle = button('Fit temperature', { class: 'tool', 'aria-pressed': 'false', 'data-testid': `fit-temperature-${id}` }, () => {
      this.showFit = !this.showFit;
      if (this.last && !this.root.classList.contains('stale')) this.update(this.last.calibration, null, this.last.cellT, this.last.p);
    });
    this.apply = button('Use fitted T', { class: 'tool', 'data-testid': `apply-temperature-${id}` }, () => {
      if (!this.last) return;
      notify('edit', { path: ['cells', this.place.index, 'temperature'], value: this.last.calibration.temperature.fitted, transient: false });
    });
    const charts = el('div', { class: 'figures' });
    this.figures = new FigureSet(charts);
    this.pending = el('p', { class: 'muted', 'data-testid': `calibrating-${id}`, hidden: true });
    this.root = el('section', { class: 'calibration', 'aria-label': 'Calibration' }, el('h3', {}, 'Calibration'), this.pending, this.head, charts);
  }

  /**
   * Shows `calibration`, or why it is absent (`absent`), or that it is being computed (`calibrating`), or nothing.
   * While it is computed, the figures shown before stay, marked as out of date, so a re-run does not collapse them.
   * `cellT`: the cell's own temperature.
   */
  update(calibration: Calibration | undefined, absent: string | null | undefined, cellT: number, p: Palette, calibrating?: string): void {
    this.root.hidden = !calibration && !absent && !calibrating;
    this.root.classList.toggle('stale', Boolean(calibrating && this.last));
    this.pending.hidden = !calibrating;
    this.pending.textContent = calibrating ? `Calibrating: ${calibrating}` : '';
    if (calibrating) {
      if (!this.last) {
        this.figures.use([]);
        this.head.replaceChildren();
      }
      return;
    }
    if (!calibration) {
      this.last = null;
      this.figures.use([]);
      this.head.replaceChildren(absent ? el('p', { class: 'muted', 'data-testid': `calibration-absent-${this.id}` }, `Not shown: ${absent}`) : '');
      return;
    }
    this.last = { calibration, cellT, p };
    const c = calibration;
    const t = c.temperature;
    this.fitToggle.setAttribute('aria-pressed', String(this.showFit));
    this.apply.textContent = `Use T = ${fmtShort(t.fitted)}`;
    this.apply.title = `Write temperature ${t.fitted} into this cell (one undo step)`;
    this.head.replaceChildren(
      stat('ECE', fmt(c.ece), `Expected calibration error: Σ_b n_b/N·|acc_b − conf_b| over ${c.bins} equal-width confidence bins.`, `ece-${this.id}`),
      stat('MCE', fmt(c.mce), 'Maximum calibration error: the largest |acc_b − conf_b| over non-empty bins.'),
      stat('Brier', fmt(c.brier), 'Σ_c (p_c − y_c)² averaged over rows, y one-hot at the target.'),
      stat('NLL', fmt(c.nll), 'Mean −log p(target) over counted rows, without class weights or label smoothing.'),
      stat('accuracy', fmt(c.accuracy), 'Rows whose most probable class (the first, on a tie) is the target.'),
      stat(
        'fitted T',
        `${fmtShort(t.fitted)}${t.bounded ? ' (range end)' : ''}`,
        `The T > 0 minimising the NLL of logits / T: NLL ${fmt(t.nll)}, ECE ${fmt(t.ece)} there (this cell: T = ${fmtShort(cellT)}).`,
        `fitted-t-${this.id}`,
      ),
      this.fitToggle,
      this.apply,
    );
    const series: ReliabilitySeries[] = [{ label: `at T = ${fmtShort(cellT)}`, bins: c.reliability }];
    if (this.showFit) series.push({ label: `at fitted T = ${fmtShort(t.fitted)}`, bins: t.reliability });
    const shown = this.figures.use([
      {
        key: `${this.id}-reliability`,
        title: 'Reliability diagram: accuracy per confidence bin, the gap to confidence shaded',
        tableTestId: `reliability-table-${this.id}`,
      },
      { key: `${this.id}-confidence`, title: 'Confidence histogram: rows per bin', size: 'short' },
    ]);
    const table = reliabilityTable(series);
    shown.get(`${this.id}-reliability`)!.render(reliabilityChart(series, p));
    shown.get(`${this.id}-reliability`)!.setTable(table, () => c);
    shown.get(`${this.id}-confidence`)!.render(confidenceHistogramChart(series, p));
    shown.get(`${this.id}-confidence`)!.setTable(table, () => c);
  }

  destroy(): void {
    this.figures.destroy();
  }
}

// A train cell: Run / Pause / Step / Stop, loss and accuracy curves growing as
// progress events arrive, the decision boundary for 2-D data, and the final
// probabilities once the result is in.
import type { DecisionGrid, TrainResult, PanelCellState } from '../../core/view';
import { boundaryChart } from '../charts/boundaryChart';
import { probsChart } from '../charts/lossCharts';
import { probsTable } from '../charts/lossTables';
import { TrainCurves } from '../charts/trainCurves';
import { button, el } from '../dom';
import { fmt } from '../format';
import { withSummary, type ElementRow } from '../lossData';
import { persistUi, ui } from '../state';
import type { Palette } from '../theme';
import { notify } from '../vscodeApi';
import type { CellBody } from './cellBody';
import { FigureSet } from './figureSet';
import { MAX_BAR_ELEMENTS } from './lossCell';

/** The full step table is rebuilt at most this often while streaming. */
const TABLE_REFRESH_MS = 1000;

function finalRows(result: TrainResult): ElementRow[] {
  const targets = result.view.target;
  return result.final.probs.map((probs, n) => {
    const t = targets[n] ?? null;
    return withSummary({
      index: n,
      label: `#${n}`,
      probs,
      grad: [],
      target: t === null ? [] : probs.map((_, c) => (c === t ? 1 : 0)),
      targetIndex: t,
      loss: t === null ? NaN : -Math.log(probs[t]),
      ignored: false,
      weight: 1,
    });
  });
}

function classNames(result: TrainResult | null, grid: DecisionGrid | null): string[] {
  if (result) return result.view.classes;
  const count = grid ? grid.argmax.reduce((m, c) => Math.max(m, c + 1), 0) : 0;
  return Array.from({ length: count }, (_, c) => String(c));
}

/** What the curve EMA slider does, on hover: it changes how the curves are drawn, not the training. */
export const CURVE_EMA_TOOLTIP =
  'Smooth curves: the weight of an exponential moving average drawn over the loss and accuracy curves (0: raw). It changes only the drawing, not the training or its loss (label smoothing is a loss setting).';

export class TrainCellView implements CellBody {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly smoothingInput: HTMLInputElement;
  private readonly figures: FigureSet;
  private curves: TrainCurves | null = null;
  private paused = false;
  private tableRefreshed = 0;
  private drawnGrid: DecisionGrid | null = null;
  /** The latest result: its final probabilities stay (marked stale) while a re-run has none yet. */
  private lastResult: TrainResult | null = null;
  private drawnFinal: TrainResult | null = null;
  private finalPalette: Palette | null = null;
  private palette: Palette | null = null;

  constructor(private readonly id: string) {
    this.status = el('span', { class: 'train-status', 'data-testid': `train-status-${id}`, 'aria-live': 'polite' });
    this.pauseButton = button('Pause', { class: 'action', 'data-testid': `pause-${id}` }, () => this.togglePause());
    // The curves' EMA weight, named for what it does: "smoothing" alone read as the loss's label smoothing.
    const smoothing = ui.smoothing[id] ?? 0.6;
    this.smoothingInput = el('input', {
      type: 'range',
      min: 0,
      max: 0.99,
      step: 0.01,
      value: smoothing,
      'aria-label': 'curve EMA: smooths the loss and accuracy curves',
      'data-testid': `curve-ema-${id}`,
    });
    const smoothingValue = el('output', { class: 'knob-value' }, smoothing.toFixed(2));
    this.smoothingInput.addEventListener('input', () => {
      const weight = Number(this.smoothingInput.value);
      smoothingValue.textContent = weight.toFixed(2);
      ui.smoothing[id] = weight;
      persistUi();
      this.curves?.setSmoothing(weight);
    });
    const controls = el(
      'div',
      { class: 'controls', role: 'toolbar', 'aria-label': 'training controls' },
      button('Run', { class: 'action primary', 'data-testid': `run-${id}` }, () => {
        this.setPaused(false);
        notify('run', { cellId: id });
      }),
      this.pauseButton,
      button('Step', { class: 'action', 'data-testid': `step-${id}`, title: 'Let exactly one more step through' }, () => notify('step', {})),
      button('Stop', { class: 'action', 'data-testid': `stop-${id}` }, () => {
        this.setPaused(false);
        notify('stop', {});
      }),
      el('label', { class: 'knob', title: CURVE_EMA_TOOLTIP }, el('span', { class: 'knob-label' }, 'curve EMA'), this.smoothingInput, smoothingValue),
      this.status,
    );
    const charts = el('div', { class: 'figures' });
    this.figures = new FigureSet(charts);
    this.root = el('div', { class: 'train-cell' }, controls, charts);
  }

  private togglePause(): void {
    notify(this.paused ? 'resume' : 'pause', {});
    this.setPaused(!this.paused);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
  }

  update(cell: PanelCellState, p: Palette): void {
    const result = cell.result?.ok && cell.result.type === 'train' ? cell.result : null;
    const losses = result?.losses ?? cell.train?.losses ?? [];
    const accuracy = result?.accuracy ?? cell.train?.accuracy ?? [];
    // A re-run keeps the last boundary and final probabilities on screen (the final ones marked as from the
    // previous run) until its own arrive, so the cells below do not jump while it runs.
    const grid = result?.view.boundary ?? (cell.train ? cell.train.boundary : this.drawnGrid);
    if (result) this.lastResult = result;
    const final = this.lastResult;
    const steps = cell.train?.steps ?? losses.length;
    // A long run in progress comes thinned from the host (core/trainThinning.ts): `at` says each value's step.
    const at = result ? undefined : cell.train?.at;
    if (result) this.setPaused(false);
    this.status.textContent = this.describe(losses, accuracy, result ? losses.length : (cell.train?.done ?? 0), steps, cell.status === 'running');

    const rows = final ? finalRows(final) : [];
    const figures = this.figures.use([
      {
        key: `${this.id}-curves`,
        title: 'Loss and accuracy per step (Ctrl+wheel zooms, drag pans)',
        size: 'tall',
        zoomable: true,
        tableTestId: `curves-table-${this.id}`,
      },
      ...(grid
        ? [{ key: `${this.id}-boundary`, title: 'Decision boundary (tint: predicted class, stronger = more confident)', size: 'square' as const }]
        : []),
      ...(final
        ? [
            {
              key: `${this.id}-final`,
              title: 'Final probabilities per sample (filled) against the target (outlined)',
              chartless: rows.length > MAX_BAR_ELEMENTS,
              tableTestId: `probs-table-${this.id}`,
            },
          ]
        : []),
    ]);
    const curvesFigure = figures.get(`${this.id}-curves`)!;
    if (!this.curves || curvesFigure.chart === null) this.curves = new TrainCurves(curvesFigure, ui.smoothing[this.id] ?? 0.6);
    this.curves.draw(losses, accuracy, steps, p, at);
    const now = performance.now();
    if (result || now - this.tableRefreshed > TABLE_REFRESH_MS) {
      this.tableRefreshed = now;
      curvesFigure.setTable(this.curves.table(), () => ({ losses, accuracy }));
    }

    const classes = classNames(final, grid);
    const boundaryFigure = figures.get(`${this.id}-boundary`);
    if (grid && boundaryFigure && (grid !== this.drawnGrid || p !== this.palette || result)) {
      this.drawnGrid = grid;
      boundaryFigure.render(boundaryChart(grid, result?.view.points ?? null, classes, p));
      boundaryFigure.setTable(
        {
          caption: 'Predicted class over the grid (row-major from the lowest x₁)',
          columns: ['cell', 'class', 'confidence'],
          rows: grid.argmax.map((c, i) => [String(i), classes[c] ?? String(c), grid.confidence[i]]),
          maxRows: 100,
        },
        () => grid,
      );
    }
    this.palette = p;

    const finalFigure = figures.get(`${this.id}-final`);
    if (final && finalFigure) {
      finalFigure.root.classList.toggle('stale', final !== result);
      if (final === this.drawnFinal && p === this.finalPalette) return;
      [this.drawnFinal, this.finalPalette] = [final, p];
      if (rows.length <= MAX_BAR_ELEMENTS) finalFigure.render(probsChart(rows, classes, p));
      finalFigure.setTable(probsTable(rows, classes), () => final.final);
    }
  }

  private describe(losses: number[], accuracy: number[], done: number, steps: number, running: boolean): string {
    if (losses.length === 0) return running ? 'starting…' : 'not run yet';
    const last = losses.length - 1;
    return `step ${done} / ${steps} · loss ${fmt(losses[last])} · accuracy ${(100 * (accuracy[last] ?? NaN)).toFixed(1)}%${running ? ' · running' : ''}`;
  }

  destroy(): void {
    this.figures.destroy();
  }
}

// Loss and accuracy against the step, appended to in place as progress events
// arrive, through bucketed curves (curveBuckets.ts): a frame costs the new steps
// plus a few thousand points, never the whole history, so a 1,000,000-step run
// draws only what it can. Long runs get a logarithmic step axis, where early
// learning is visible.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Palette } from '../theme';
import type { Figure } from './figure';
import { isLogAxis } from '../../core/view';
import { Curve, type Point } from './curveBuckets';
import type { TableData } from './table';

/** Steps listed in the DOM table (the CSV export has them all). */
const TABLE_ROWS = 200;
import { savedRange, zoomOptions } from './zoom';

/**
 * TensorBoard smooths about 1,000 points per run: for longer runs the same slider
 * value keeps the same time constant relative to the run (w^(1/k) stretches it k-fold),
 * so a 10,000-step curve is as smooth as a 1,000-step one instead of a noisy band.
 */
const POINTS_SMOOTHED_AS_ONE_RUN = 1000;
function effectiveWeight(weight: number, steps: number): number {
  return Math.pow(weight, 1 / Math.max(1, steps / POINTS_SMOOTHED_AS_ONE_RUN));
}

export class TrainCurves {
  private loss: Curve;
  private accuracy: Curve;
  private losses: number[] = [];
  private accuracies: number[] = [];
  /** The step of each value once the host thinned a long run (core/trainThinning.ts). */
  private at: number[] | undefined;
  private palette: Palette | null = null;
  private steps = 0;
  private log = false;

  constructor(
    private readonly figure: Figure,
    private smoothing: number,
  ) {
    this.loss = new Curve(smoothing, 0, false);
    this.accuracy = new Curve(smoothing, 0, false);
  }

  setSmoothing(weight: number): void {
    this.smoothing = weight;
    this.resetCurves(this.steps);
    this.draw(this.losses, this.accuracies, this.steps, this.palette, this.at);
  }

  private resetCurves(steps: number): void {
    const log = isLogAxis(steps);
    if (log !== this.log) {
      this.log = log;
      this.loss = new Curve(this.smoothing, steps, log);
      this.accuracy = new Curve(this.smoothing, steps, log);
    }
    this.loss.reset(effectiveWeight(this.smoothing, steps), steps);
    this.accuracy.reset(effectiveWeight(this.smoothing, steps), steps);
  }

  /** `steps` fixes the x range, so the curves grow into a frame that does not jump. */
  draw(losses: number[], accuracy: number[], steps: number, p: Palette | null, at?: number[]): void {
    if (!p) return;
    this.losses = losses;
    this.accuracies = accuracy;
    this.at = at;
    if (steps !== this.steps) this.resetCurves(steps);
    this.loss.sync(losses, at);
    this.accuracy.sync(accuracy, at);
    const chart = this.figure.chart;
    if (!chart || p !== this.palette || steps !== this.steps) {
      this.palette = p;
      this.steps = steps;
      this.figure.render(this.config(p));
      return;
    }
    const series = this.series();
    chart.data.datasets.forEach((ds, i) => (ds.data = series[i]));
    chart.update('none');
  }

  private series(): Point[][] {
    return [this.loss.raw, this.loss.smooth, this.accuracy.raw, this.accuracy.smooth];
  }

  private config(p: Palette): ChartConfiguration {
    const [lossRaw, lossSmooth, accRaw, accSmooth] = this.series();
    // Raw curves are thin and fainter than their EMA, yet ≥ 3:1 against the canvas in every theme (palette.ts):
    // the legend's swatches are these colours.
    const line = (label: string, data: Point[], color: string, axis: string, raw: boolean): ChartDataset<'line'> => ({
      label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: raw ? 1 : 2,
      pointRadius: 0,
      spanGaps: true,
      yAxisID: axis,
    });
    const last = Math.max(this.steps - 1, 1);
    return {
      type: 'line',
      data: {
        datasets: [
          line('loss', lossRaw, p.curves.lossRaw, 'y', true),
          line('loss (EMA)', lossSmooth, p.curves.loss, 'y', false),
          line('accuracy', accRaw, p.curves.accuracyRaw, 'yAcc', true),
          line('accuracy (EMA)', accSmooth, p.curves.accuracy, 'yAcc', false),
        ],
      },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: this.log
            ? {
                type: 'logarithmic',
                min: 1,
                max: last + 1,
                // Powers of ten only: 1, 10, 100, … (step numbers count from 0, so x = step + 1).
                afterBuildTicks: (scale) => {
                  scale.ticks = scale.ticks.filter((t) => Number.isInteger(Math.log10(t.value)));
                },
                ticks: { callback: (v) => Number(v).toLocaleString('en-US'), maxRotation: 0 },
                title: { display: true, text: 'step + 1 (log scale)' },
                ...savedRange(this.figure),
              }
            : {
                type: 'linear',
                min: 0,
                max: last,
                // Round steps only: no odd "149" crowding the last nice tick, no fractional steps when zoomed in.
                ticks: { includeBounds: false, precision: 0, maxTicksLimit: 11, maxRotation: 0 },
                title: { display: true, text: 'step' },
                ...savedRange(this.figure),
              },
          y: { beginAtZero: true, title: { display: true, text: 'loss' } },
          // A little headroom above 100 %, so a perfect run is not drawn on the chart's border.
          yAcc: {
            position: 'right',
            min: 0,
            max: 1.05,
            grid: { display: false },
            title: { display: true, text: 'accuracy' },
            ticks: { stepSize: 0.25, includeBounds: false, callback: (v) => (Number(v) <= 1 ? `${Math.round(Number(v) * 100)}%` : '') },
          },
        },
        plugins: {
          canvasBackground: { color: p.bg },
          zoom: zoomOptions(this.figure),
        },
      },
    };
  }

  /** The first rows for the DOM; the CSV export gets every step (every kept step of a thinned run in progress). */
  table(): TableData {
    const row = (i: number) => [String(this.at?.[i] ?? i), this.losses[i], this.accuracies[i] ?? NaN];
    const shown = Math.min(this.losses.length, TABLE_ROWS);
    return {
      caption: this.at
        ? 'Loss and batch accuracy per step (so far each stretch of steps by its extremes; every step once the run ends)'
        : 'Loss and batch accuracy per step',
      columns: ['step', 'loss', 'accuracy'],
      rows: Array.from({ length: shown }, (_, i) => row(i)),
      total: this.losses.length,
      allRows: () => this.losses.map((_, i) => row(i)),
    };
  }
}

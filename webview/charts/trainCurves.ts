// Loss and accuracy against the step, appended to in place as progress events
// arrive (no re-creating 10,000 points per frame), with Chart.js's min-max
// decimation so long runs draw at most a few points per pixel.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { withAlpha, type Palette } from '../theme';
import type { Figure } from './figure';
import { Ema } from './smoothing';
import type { TableData } from './table';
import { savedRange, zoomOptions } from './zoom';

interface Point {
  x: number;
  y: number;
}

class Curve {
  raw: Point[] = [];
  smooth: Point[] = [];
  private ema: Ema;

  constructor(private weight: number) {
    this.ema = new Ema(weight);
  }

  /** Appends values[from..]; restarts when the series got shorter (a new run). */
  sync(values: number[]): void {
    if (values.length < this.raw.length) this.reset(this.weight);
    for (let i = this.raw.length; i < values.length; i++) {
      this.raw.push({ x: i, y: values[i] });
      this.smooth.push({ x: i, y: this.ema.next(values[i]) });
    }
  }

  reset(weight: number): void {
    this.weight = weight;
    this.ema = new Ema(weight);
    this.raw = [];
    this.smooth = [];
  }
}

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
  private readonly loss: Curve;
  private readonly accuracy: Curve;
  private losses: number[] = [];
  private accuracies: number[] = [];
  private palette: Palette | null = null;
  private steps = 0;

  constructor(
    private readonly figure: Figure,
    private smoothing: number,
  ) {
    this.loss = new Curve(smoothing);
    this.accuracy = new Curve(smoothing);
  }

  setSmoothing(weight: number): void {
    this.smoothing = weight;
    this.resetCurves(this.steps);
    this.draw(this.losses, this.accuracies, this.steps, this.palette);
  }

  private resetCurves(steps: number): void {
    this.loss.reset(effectiveWeight(this.smoothing, steps));
    this.accuracy.reset(effectiveWeight(this.smoothing, steps));
  }

  /** `steps` fixes the x range, so the curves grow into a frame that does not jump. */
  draw(losses: number[], accuracy: number[], steps: number, p: Palette | null): void {
    if (!p) return;
    this.losses = losses;
    this.accuracies = accuracy;
    if (steps !== this.steps) this.resetCurves(steps);
    this.loss.sync(losses);
    this.accuracy.sync(accuracy);
    const chart = this.figure.chart;
    if (!chart || p !== this.palette || steps !== this.steps) {
      this.palette = p;
      this.steps = steps;
      this.figure.render(this.config(p));
      return;
    }
    // Decimation swaps dataset.data for its own copy; assigning hands it the full series again.
    const series = this.series();
    chart.data.datasets.forEach((ds, i) => (ds.data = series[i]));
    chart.update('none');
  }

  private series(): Point[][] {
    return [this.loss.raw, this.loss.smooth, this.accuracy.raw, this.accuracy.smooth];
  }

  private config(p: Palette): ChartConfiguration {
    const [lossRaw, lossSmooth, accRaw, accSmooth] = this.series();
    const line = (label: string, data: Point[], color: string, axis: string, faint: boolean): ChartDataset<'line'> => ({
      label,
      data,
      borderColor: faint ? withAlpha(color, 0.3) : color,
      backgroundColor: faint ? withAlpha(color, 0.3) : color, // the legend tells raw from smoothed
      borderWidth: faint ? 1 : 2,
      pointRadius: 0,
      spanGaps: true,
      yAxisID: axis,
    });
    return {
      type: 'line',
      data: {
        datasets: [
          line('loss', lossRaw, p.negative, 'y', true),
          line('loss (smoothed)', lossSmooth, p.negative, 'y', false),
          line('accuracy', accRaw, p.series[2], 'yAcc', true),
          line('accuracy (smoothed)', accSmooth, p.series[2], 'yAcc', false),
        ],
      },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: Math.max(this.steps - 1, 1),
            // Round steps only: no odd "149" crowding the last nice tick, no fractional steps when zoomed in.
            ticks: { includeBounds: false, precision: 0, maxTicksLimit: 11, maxRotation: 0 },
            title: { display: true, text: 'step' },
            ...savedRange(this.figure),
          },
          y: { beginAtZero: true, title: { display: true, text: 'loss' } },
          yAcc: { position: 'right', min: 0, max: 1, grid: { display: false }, title: { display: true, text: 'accuracy' }, ticks: { callback: (v) => `${Math.round(Number(v) * 100)}%` } },
        },
        plugins: {
          canvasBackground: { color: p.bg },
          decimation: { enabled: true, algorithm: 'min-max' },
          zoom: zoomOptions(this.figure),
        },
      },
    };
  }

  table(): TableData {
    return {
      caption: 'Loss and batch accuracy per step',
      columns: ['step', 'loss', 'accuracy'],
      rows: this.losses.map((l, i) => [String(i), l, this.accuracies[i] ?? NaN]),
      maxRows: 200,
    };
  }
}

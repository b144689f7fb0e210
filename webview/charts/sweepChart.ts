// The sweep: loss (one line per element for reduction "none") and the swept
// logit's gradient against the parameter, the document's current value marked.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Nested } from '../../core/view';
import { fmtShort } from '../format';
import { flatten } from '../lossData';
import { classColor, type Palette } from '../theme';
import type { Figure } from './figure';
import type { TableData } from './table';
import { savedRange, zoomOptions } from './zoom';

export interface SweepSeries {
  param: string;
  values: number[];
  loss: Nested[];
  grad: (number | null)[] | null;
  /** The ECE at each point (`"ece": true`), on a second axis. */
  ece?: number[];
  current: number | null;
}

/** Reduction "none" gives an array per point: draw at most this many of its elements. */
const MAX_ELEMENT_LINES = 8;

function lossLines(s: SweepSeries): number[][] {
  const perPoint = s.loss.map(flatten);
  const width = Math.min(MAX_ELEMENT_LINES, perPoint[0]?.length ?? 0);
  return Array.from({ length: width }, (_, k) => perPoint.map((xs) => xs[k]));
}

function hasGrad(s: SweepSeries): s is SweepSeries & { grad: (number | null)[] } {
  return s.grad !== null && s.grad.some((g) => g !== null);
}

export function sweepChart(s: SweepSeries, p: Palette, figure: Figure): ChartConfiguration {
  const lines = lossLines(s);
  const datasets: ChartDataset<'line'>[] = lines.map((ys, k) => ({
    label: lines.length > 1 ? `loss #${k}` : 'loss',
    data: ys.map((y, i) => ({ x: s.values[i], y })),
    borderColor: lines.length > 1 ? classColor(p, k) : p.negative,
    backgroundColor: lines.length > 1 ? classColor(p, k) : p.negative,
    borderWidth: 2,
    pointRadius: s.values.length > 60 ? 0 : 2,
    yAxisID: 'y',
  }));
  if (hasGrad(s)) {
    datasets.push({
      label: `∂loss/∂${s.param}`,
      data: s.grad.map((g, i) => ({ x: s.values[i], y: g ?? NaN })),
      borderColor: p.series[1],
      backgroundColor: p.series[1],
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      yAxisID: 'yGrad',
    });
  }
  if (s.ece) {
    datasets.push({
      label: 'ECE',
      data: s.ece.map((y, i) => ({ x: s.values[i], y })),
      borderColor: p.series[0],
      backgroundColor: p.series[0],
      borderDash: [2, 3],
      borderWidth: 2,
      pointRadius: s.values.length > 60 ? 0 : 2,
      yAxisID: 'yEce',
    });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: s.param }, ...savedRange(figure) },
        y: { title: { display: true, text: 'loss' } },
        ...(hasGrad(s) ? { yGrad: { position: 'right' as const, title: { display: true, text: 'gradient' }, grid: { display: false } } } : {}),
        ...(s.ece
          ? { yEce: { position: 'right' as const, beginAtZero: true, title: { display: true, text: 'ECE' }, grid: { display: false } } }
          : {}),
      },
      plugins: {
        canvasBackground: { color: p.bg },
        verticalMarker: { value: s.current, color: p.fg, label: s.current === null ? '' : `current ${fmtShort(s.current)}` },
        zoom: zoomOptions(figure),
      },
    },
  };
}

export function sweepTable(s: SweepSeries): TableData {
  const lines = lossLines(s);
  return {
    caption: `Loss${hasGrad(s) ? ' and gradient' : ''}${s.ece ? ' and ECE' : ''} against ${s.param}`,
    columns: [
      s.param,
      ...lines.map((_, k) => (lines.length > 1 ? `loss #${k}` : 'loss')),
      ...(hasGrad(s) ? ['gradient'] : []),
      ...(s.ece ? ['ECE'] : []),
    ],
    rows: s.values.map((v, i) => [fmtShort(v), ...lines.map((ys) => ys[i]), ...(hasGrad(s) ? [s.grad[i] ?? NaN] : []), ...(s.ece ? [s.ece[i]] : [])]),
  };
}

// The reliability diagram and the confidence histogram of a loss cell's
// calibration: accuracy bars per confidence bin against the diagonal, the gap
// between accuracy and mean confidence shaded; with the fitted temperature
// shown, its bars beside the cell's on the same axes.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { ReliabilityBin } from '../../core/view';
import { fmtShort } from '../format';
import { withAlpha, type Palette } from '../theme';
import type { TableData } from './table';

/** The bins at the cell's temperature, and at the fitted one when it is shown. */
export interface ReliabilitySeries {
  label: string;
  bins: ReliabilityBin[];
}

const centre = (b: ReliabilityBin) => (b.lower + b.upper) / 2;
const binLabel = (b: ReliabilityBin) => fmtShort(Number(centre(b).toPrecision(2)));
const range = (b: ReliabilityBin) => `confidence ${fmtShort(b.lower)} – ${fmtShort(b.upper)}`;

export function reliabilityChart(series: ReliabilitySeries[], p: Palette): ChartConfiguration {
  const bins = series[0].bins;
  const colours = [p.series[0], p.series[1] ?? p.positive];
  const datasets: ChartDataset[] = series.flatMap((s, k) => [
    {
      type: 'bar' as const,
      label: `accuracy ${s.label}`,
      data: s.bins.map((b) => (b.count ? b.accuracy! : null)),
      backgroundColor: colours[k],
      stack: `series-${k}`,
      barPercentage: 0.9,
      categoryPercentage: 0.9,
      order: 2,
    },
    {
      // The gap: a floating bar from accuracy to mean confidence.
      type: 'bar' as const,
      label: `gap to confidence ${s.label}`,
      data: s.bins.map((b) => (b.count ? ([b.accuracy!, b.confidence!] as [number, number]) : null)),
      backgroundColor: withAlpha(p.negative, 0.3),
      borderColor: p.negative,
      borderWidth: 1,
      stack: `series-${k}`,
      barPercentage: 0.9,
      categoryPercentage: 0.9,
      order: 1,
    },
  ]);
  datasets.push({
    type: 'line',
    label: 'perfect calibration (accuracy = confidence)',
    data: bins.map(centre),
    borderColor: p.fg,
    borderDash: [4, 4],
    borderWidth: 1,
    pointRadius: 0,
    order: 0,
  });
  return {
    type: 'bar',
    data: { labels: bins.map(binLabel), datasets },
    options: {
      scales: {
        // A stacked index axis puts a series' accuracy bar and its gap bar in one place; the values are not stacked.
        x: { stacked: true, title: { display: true, text: 'confidence (bin centre)' }, ticks: { maxRotation: 0, autoSkip: true } },
        y: { stacked: false, min: 0, max: 1, title: { display: true, text: 'accuracy' } },
      },
      plugins: {
        canvasBackground: { color: p.bg },
        legend: { display: true, labels: { boxWidth: 12 } },
        tooltip: { callbacks: { title: (items) => items.map((it) => range(bins[it.dataIndex])) } },
      },
    },
  } as ChartConfiguration;
}

export function confidenceHistogramChart(series: ReliabilitySeries[], p: Palette): ChartConfiguration {
  const bins = series[0].bins;
  const colours = [p.series[0], p.series[1] ?? p.positive];
  return {
    type: 'bar',
    data: {
      labels: bins.map(binLabel),
      datasets: series.map((s, k) => ({
        label: `rows ${s.label}`,
        data: s.bins.map((b) => b.count),
        backgroundColor: colours[k],
        categoryPercentage: 0.95,
      })),
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'confidence (bin centre)' }, ticks: { maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, title: { display: true, text: 'rows' } },
      },
      plugins: {
        canvasBackground: { color: p.bg },
        legend: { display: series.length > 1 },
        tooltip: { callbacks: { title: (items) => items.map((it) => range(bins[it.dataIndex])) } },
      },
    },
  } as ChartConfiguration;
}

/** The bins as a table: one row per bin, its figures for each series. */
export function reliabilityTable(series: ReliabilitySeries[]): TableData {
  const columns = ['from', 'to', ...series.flatMap((s) => [`rows ${s.label}`, `confidence ${s.label}`, `accuracy ${s.label}`])];
  const rows = series[0].bins.map((b, i) => [
    b.lower,
    b.upper,
    ...series.flatMap((s) => [s.bins[i].count, s.bins[i].confidence ?? '', s.bins[i].accuracy ?? '']),
  ]);
  return { caption: 'Rows, mean confidence and accuracy per confidence bin', columns, rows };
}

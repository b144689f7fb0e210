// Chart configurations for a loss cell: probabilities against the target
// distribution, the gradient, per-element loss, and for big or K-dim inputs a
// histogram and a per-position heatmap.
import type { ChartConfiguration, ChartDataset, ScriptableContext, TooltipItem } from 'chart.js';
import { fmt, fmtShort } from '../format';
import type { RowDetail } from '../../core/view';
import type { ElementRow, Histogram } from '../lossData';
import type { Figure } from './figure';
import { classColor, rgbOf, type Palette } from '../theme';

function tickLabel(row: ElementRow, classes: string[]): string[] {
  if (row.ignored) return [row.label, 'ignored'];
  if (row.targetIndex !== null) return [row.label, `→ ${classes[row.targetIndex] ?? row.targetIndex}`];
  return row.target.length ? [row.label, 'soft target'] : [row.label];
}

/** Up to this many elements every one gets its label (turned if need be); beyond, Chart.js skips some. */
const ALL_LABELS_UP_TO = 24;

function elementAxis(rows: ElementRow[]) {
  return { grid: { display: false }, ticks: { autoSkip: rows.length > ALL_LABELS_UP_TO } };
}

function background(p: Palette) {
  return { canvasBackground: { color: p.bg } };
}

/**
 * Filled bars: the softmax P. Outlined bars: the target Y. Each class's P and Y
 * share a stack on a stacked index axis (values are not stacked), so they overlap.
 */
export function probsChart(rows: ElementRow[], classes: string[], p: Palette): ChartConfiguration {
  const labels = rows.map((r) => tickLabel(r, classes));
  const fill = (c: number) => rows.map((r) => (r.ignored ? p.ignored : classColor(p, c)));
  const probs: ChartDataset<'bar'>[] = classes.map((name, c) => ({
    label: name,
    data: rows.map((r) => r.probs[c]),
    backgroundColor: fill(c),
    borderColor: p.kind.startsWith('high-contrast') ? p.outline : fill(c),
    borderWidth: p.kind.startsWith('high-contrast') ? 1 : 0,
    stack: `class-${c}`,
    maxBarThickness: 48,
    order: 1,
  }));
  const targets: ChartDataset<'bar'>[] = classes.map((name, c) => ({
    label: c === 0 ? 'target Y (outline)' : `target ${name}`,
    data: rows.map((r) => r.target[c] ?? 0),
    backgroundColor: 'transparent',
    borderColor: rows.map((r) => (r.ignored ? p.ignored : p.outline)),
    borderWidth: 2,
    stack: `class-${c}`,
    maxBarThickness: 48,
    order: 0, // the lowest order is drawn last: Y's outline stays visible over P's fill
  }));
  return {
    type: 'bar',
    data: { labels, datasets: rows.some((r) => r.target.length) ? [...probs, ...targets] : probs },
    options: {
      scales: {
        x: { stacked: true, ...elementAxis(rows) },
        y: { stacked: false, min: 0, max: 1, title: { display: true, text: 'probability' } },
      },
      plugins: {
        ...background(p),
        legend: {
          onClick: () => undefined, // hiding a class would leave its Y outline without its P bar
          labels: { filter: (item) => (item.datasetIndex ?? 0) <= classes.length },
        },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const c = ctx.datasetIndex % classes.length;
              const kind = ctx.datasetIndex < classes.length ? 'P' : 'Y';
              return `${kind}(${classes[c]}) = ${fmtShort(ctx.parsed.y ?? NaN)}`;
            },
          },
        },
      },
    },
  };
}

/** Diverging bars around zero: negative pushes a logit up under gradient descent. */
export function gradChart(rows: ElementRow[], classes: string[], p: Palette): ChartConfiguration {
  const extent = rows.reduce((m, r) => r.grad.reduce((a, g) => (Number.isFinite(g) ? Math.max(a, Math.abs(g)) : a), m), 0) || 1;
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => tickLabel(r, classes)),
      datasets: classes.map((name, c) => ({
        label: name,
        data: rows.map((r) => r.grad[c]),
        backgroundColor: rows.map((r) => (r.ignored ? p.ignored : classColor(p, c))),
        borderColor: p.outline,
        borderWidth: p.kind.startsWith('high-contrast') ? 1 : 0,
        maxBarThickness: 48,
      })),
    },
    options: {
      scales: {
        x: elementAxis(rows),
        y: {
          suggestedMin: -extent,
          // Zero is where the gradient changes sign: always a tick (and a stronger line).
          afterBuildTicks: (scale) => {
            if (!scale.ticks.some((t) => t.value === 0)) scale.ticks = [...scale.ticks, { value: 0 }].sort((a, b) => a.value - b.value);
          },
          suggestedMax: extent,
          title: { display: true, text: '∂loss/∂logit' },
          grid: { color: (ctx) => (ctx.tick.value === 0 ? p.fg : p.grid), lineWidth: (ctx) => (ctx.tick.value === 0 ? 1.5 : 1) },
        },
      },
      plugins: {
        ...background(p),
        tooltip: { callbacks: { label: (ctx) => `∂L/∂z(${classes[ctx.datasetIndex]}) = ${fmtShort(ctx.parsed.y ?? NaN)}` } },
      },
    },
  };
}

export function perElementLossChart(rows: ElementRow[], p: Palette): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        {
          label: 'loss per element',
          data: rows.map((r) => r.loss),
          backgroundColor: rows.map((r) => (r.ignored ? p.ignored : p.positive)),
          borderColor: p.outline,
          borderWidth: p.kind.startsWith('high-contrast') ? 1 : 0,
          maxBarThickness: 64,
        },
      ],
    },
    options: {
      scales: {
        x: elementAxis(rows),
        // PyTorch's per-element loss is −Σc w_c·Y_c·log P_c; without class weights every w_c is 1.
        y: { beginAtZero: true, title: { display: true, text: rows.some((r) => r.weight !== 1) ? '−Σ w·Y·log P  (w: class weight)' : '−Σ Y·log P' } },
      },
      plugins: { ...background(p), legend: { display: false } },
    },
  };
}

/** Significant digits that tell neighbouring bin centres apart (two at least: losses of 9.2 to 13.4 need three, not "11, 11, 11"). */
function centreDigits(h: Histogram): number {
  const width = h.edges[1] - h.edges[0];
  const scale = Math.max(...h.edges.map(Math.abs));
  const digits = Math.ceil(Math.log10(scale / width)) + 1;
  return Number.isFinite(digits) ? Math.min(6, Math.max(2, digits)) : 2;
}

export function lossHistogramChart(h: Histogram, p: Palette): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: h.counts.map((_, i) => fmtShort(Number(((h.edges[i] + h.edges[i + 1]) / 2).toPrecision(centreDigits(h))))),
      datasets: [{ label: 'elements', data: h.counts, backgroundColor: p.positive, barPercentage: 1, categoryPercentage: 0.95 }],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'loss per element (bin centre)' }, ticks: { maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, title: { display: true, text: 'elements' } },
      },
      plugins: {
        ...background(p),
        legend: { display: false },
        tooltip: {
          callbacks: { title: (items) => items.map((it) => `loss ${fmtShort(h.edges[it.dataIndex])} – ${fmtShort(h.edges[it.dataIndex + 1])}`) },
        },
      },
    },
  };
}

/** Ticks on the integer cell positions only (a matrix axis runs from −0.5 to n − 0.5). */
function integerTicks(count: number) {
  return (scale: { ticks: { value: number }[] }) => {
    scale.ticks = Array.from({ length: count }, (_, value) => ({ value }));
  };
}

export interface HeatCell {
  x: number;
  y: number;
  v: number;
}

/** Per-position loss of K-dim inputs: rows are n (and all but the last spatial dim), columns the last dim. */
export function lossHeatmapChart(cells: HeatCell[], rowLabels: string[], cols: number, p: Palette): ChartConfiguration {
  const max = cells.reduce((m, c) => (Number.isFinite(c.v) ? Math.max(m, c.v) : m), 0) || 1;
  const [r, g, b] = rgbOf(p.positive);
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: 'loss per position',
          data: cells,
          backgroundColor: (ctx: ScriptableContext<'matrix'>) => {
            const v = (ctx.raw as HeatCell | undefined)?.v ?? 0;
            return Number.isFinite(v) ? `rgba(${r}, ${g}, ${b}, ${0.08 + 0.92 * (v / max)})` : p.ignored;
          },
          borderColor: p.grid,
          borderWidth: 1,
          width: ({ chart }) => (chart.chartArea?.width ?? 0) / cols - 1,
          height: ({ chart }) => (chart.chartArea?.height ?? 0) / rowLabels.length - 1,
        },
      ],
    },
    options: {
      scales: {
        x: {
          type: 'linear',
          min: -0.5,
          max: cols - 0.5,
          offset: false,
          afterBuildTicks: integerTicks(cols),
          grid: { display: false },
          title: { display: true, text: 'position (last dim)' },
        },
        y: {
          type: 'linear',
          reverse: true,
          min: -0.5,
          max: rowLabels.length - 0.5,
          offset: false,
          afterBuildTicks: integerTicks(rowLabels.length),
          ticks: { autoSkip: true, callback: (v) => rowLabels[Number(v)] ?? '' },
          grid: { display: false },
        },
      },
      plugins: {
        ...background(p),
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: () => '',
            label: (ctx: TooltipItem<'matrix'>) => {
              const c = ctx.raw as HeatCell;
              return `${rowLabels[c.y]}, ${c.x}: loss ${fmtShort(c.v)}`;
            },
          },
        },
      },
    },
  };
}

/** P (left axis) and the gradient (right axis) at the classes of one element's detail; its target outlined in colour. */
export function rowDetailChart(d: RowDetail, p: Palette): ChartConfiguration {
  const highContrast = p.kind.startsWith('high-contrast');
  const bars = (label: string, data: number[], color: string, axis: string) => ({
    label,
    data,
    yAxisID: axis,
    backgroundColor: color,
    borderColor: d.classes.map((c) => (c === d.target || highContrast ? p.outline : color)),
    borderWidth: d.classes.map((c) => (c === d.target ? 3 : highContrast ? 1 : 0)),
    maxBarThickness: 28,
  });
  return {
    type: 'bar',
    data: {
      labels: d.names,
      datasets: [bars('P', d.probs, p.positive, 'p'), bars('∂loss/∂logit', d.grad, p.negative, 'grad')],
    },
    options: {
      scales: {
        x: { ticks: { autoSkip: false, maxRotation: 60 } },
        p: { type: 'linear', position: 'left', min: 0, title: { display: true, text: 'probability' } },
        grad: { type: 'linear', position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'gradient' } },
      },
      plugins: { ...background(p), legend: { display: true } },
    },
  };
}

/** A histogram of per-element losses in `figure`: its chart, and its table (and JSON) of bins. */
export function showLossHistogram(figure: Figure, h: Histogram, p: Palette): void {
  figure.render(lossHistogramChart(h, p));
  figure.setTable(
    { caption: 'Elements per loss bin', columns: ['from', 'to', 'elements'], rows: h.counts.map((n, i) => [fmt(h.edges[i]), h.edges[i + 1], n]) },
    () => h,
  );
}

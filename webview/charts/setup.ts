// Registers what the panel's charts use, once, and applies theme defaults.
import { Chart, registerables } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { Palette } from '../theme';
import { backgroundPlugin, gridImagePlugin, verticalMarkerPlugin } from './plugins';

Chart.register(...registerables, MatrixController, MatrixElement, zoomPlugin, backgroundPlugin, verticalMarkerPlugin, gridImagePlugin);

export function applyChartDefaults(p: Palette): void {
  Chart.defaults.color = p.fg;
  Chart.defaults.borderColor = p.grid;
  Chart.defaults.font.family = p.fontFamily;
  Chart.defaults.font.size = Math.max(12, p.fontSize - 1);
  // Data streams in: an animation would always show the previous numbers.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  Chart.defaults.plugins.tooltip.backgroundColor = p.bg;
  Chart.defaults.plugins.tooltip.titleColor = p.fg;
  Chart.defaults.plugins.tooltip.bodyColor = p.fg;
  Chart.defaults.plugins.tooltip.borderColor = p.outline;
  Chart.defaults.plugins.tooltip.borderWidth = 1;
}

export { Chart };

// Small Chart.js plugins: an opaque background (so exported PNGs are readable),
// a vertical marker (the sweep's current value) and an image underlay (the
// decision boundary, drawn as one bitmap rather than thousands of elements).
import type { Chart, ChartType, Plugin } from 'chart.js';

export interface VerticalMarkerOptions {
  value: number | null;
  color: string;
  label: string;
}
export interface GridImageOptions {
  image: HTMLCanvasElement | null;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
export interface BackgroundOptions {
  color: string;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the merged declaration must repeat chart.js's type parameter
  interface PluginOptionsByType<TType extends ChartType> {
    verticalMarker?: VerticalMarkerOptions;
    gridImage?: GridImageOptions;
    canvasBackground?: BackgroundOptions;
  }
}

export const backgroundPlugin: Plugin = {
  id: 'canvasBackground',
  beforeDraw(chart: Chart, _args, options: BackgroundOptions) {
    if (!options.color) return;
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = options.color;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export const verticalMarkerPlugin: Plugin = {
  id: 'verticalMarker',
  afterDatasetsDraw(chart: Chart, _args, options: VerticalMarkerOptions) {
    if (options.value === null || options.value === undefined) return;
    const x = chart.scales.x?.getPixelForValue(options.value);
    const area = chart.chartArea;
    if (x === undefined || x < area.left || x > area.right) return;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(x, area.top);
    ctx.lineTo(x, area.bottom);
    ctx.stroke();
    ctx.textAlign = x > (area.left + area.right) / 2 ? 'right' : 'left';
    ctx.fillText(options.label, x + (ctx.textAlign === 'left' ? 4 : -4), area.top + 12);
    ctx.restore();
  },
};

export const gridImagePlugin: Plugin = {
  id: 'gridImage',
  beforeDatasetsDraw(chart: Chart, _args, options: GridImageOptions) {
    if (!options.image) return;
    const { x, y } = chart.scales;
    const left = x.getPixelForValue(options.xMin);
    const right = x.getPixelForValue(options.xMax);
    const top = y.getPixelForValue(options.yMax);
    const bottom = y.getPixelForValue(options.yMin);
    const { ctx, chartArea: area } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(options.image, left, top, right - left, bottom - top);
    ctx.restore();
  },
};

// The decision boundary: the model's argmax class over a grid, tinted by its
// confidence, painted as one small bitmap under a scatter of the data points.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { DecisionGrid } from '../../core/view';
import { classColor, rgbOf, type Palette } from '../theme';

export interface BoundaryPoints {
  x: number[][];
  target: number[];
}

const images = new WeakMap<DecisionGrid, { palette: Palette; canvas: HTMLCanvasElement }>();

/** Paints the grid once per (grid, palette); rows run from yMin, so they are flipped for the canvas. */
function gridImage(grid: DecisionGrid, classes: number, p: Palette): HTMLCanvasElement {
  const cached = images.get(grid);
  if (cached?.palette === p) return cached.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = grid.size;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(grid.size, grid.size);
  const colors = Array.from({ length: Math.max(classes, 1) }, (_, c) => rgbOf(classColor(p, c)));
  const chance = 1 / Math.max(classes, 2);
  for (let row = 0; row < grid.size; row++) {
    for (let col = 0; col < grid.size; col++) {
      const i = row * grid.size + col;
      const [r, g, b] = colors[grid.argmax[i] % colors.length];
      const certainty = Math.max(0, (grid.confidence[i] - chance) / (1 - chance));
      const o = ((grid.size - 1 - row) * grid.size + col) * 4;
      image.data.set([r, g, b, Math.round(255 * (0.12 + 0.5 * certainty))], o);
    }
  }
  ctx.putImageData(image, 0, 0);
  images.set(grid, { palette: p, canvas });
  return canvas;
}

export function boundaryChart(grid: DecisionGrid, points: BoundaryPoints | null, classes: string[], p: Palette): ChartConfiguration {
  const datasets: ChartDataset<'scatter'>[] = classes.map((name, c) => ({
    label: name,
    data: points ? points.x.flatMap((xy, i) => (points.target[i] === c ? [{ x: xy[0], y: xy[1] }] : [])) : [],
    backgroundColor: classColor(p, c),
    borderColor: p.kind === 'light' || p.kind === 'high-contrast-light' ? '#000000' : '#ffffff',
    borderWidth: 1,
    pointRadius: 3.5,
  }));
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', min: grid.xMin, max: grid.xMax, title: { display: true, text: 'x₀' } },
        y: { type: 'linear', min: grid.yMin, max: grid.yMax, title: { display: true, text: 'x₁' } },
      },
      plugins: {
        canvasBackground: { color: p.bg },
        gridImage: { image: gridImage(grid, classes.length, p), xMin: grid.xMin, xMax: grid.xMax, yMin: grid.yMin, yMax: grid.yMax },
      },
    },
  };
}

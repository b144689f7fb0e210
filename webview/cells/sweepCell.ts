// A sweep cell: the loss against one knob, growing point by point while it runs.
import type { PanelCellState } from '../../core/view';
import { sweepChart, sweepTable, type SweepSeries } from '../charts/sweepChart';
import type { Palette } from '../theme';
import { el } from '../dom';
import type { CellBody } from './cellBody';
import { FigureSet } from './figureSet';

function seriesOf(cell: PanelCellState): SweepSeries | null {
  const r = cell.result;
  if (r?.ok && r.type === 'sweep') return { param: r.param, values: r.values, loss: r.loss, grad: r.grad, ece: r.ece, current: r.view.current };
  if (cell.sweep) return { param: 'parameter', values: cell.sweep.values, loss: cell.sweep.loss, grad: cell.sweep.grad, current: null };
  return null;
}

export class SweepCellView implements CellBody {
  readonly root: HTMLElement;
  private readonly figures: FigureSet;

  constructor(private readonly id: string) {
    this.root = el('div', { class: 'figures' });
    this.figures = new FigureSet(this.root);
  }

  update(cell: PanelCellState, p: Palette): void {
    const series = seriesOf(cell);
    if (!series) return;
    const figure = this.figures
      .use([
        {
          key: `${this.id}-sweep`,
          title: `Loss${series.ece ? ' and ECE' : ''} against ${series.param}`,
          untitled: cell.header.title !== undefined,
          zoomable: true,
          tableTestId: `sweep-table-${this.id}`,
        },
      ])
      .get(`${this.id}-sweep`)!;
    figure.render(sweepChart(series, p, figure));
    figure.setTable(sweepTable(series), () => series);
  }

  destroy(): void {
    this.figures.destroy();
  }
}

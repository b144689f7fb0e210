// The frame around every cell: title, status, warnings, and the body for its
// kind (or its error). Bodies are kept across updates so charts update in place.
import { assertNever, type CellType, type PanelCellState } from '../../core/view';
import { button, el } from '../dom';
import type { Palette } from '../theme';
import { notify } from '../vscodeApi';
import type { CellBody, CellPlace } from './cellBody';
import { ErrorView, problemBox } from './errorView';
import { LossCellView } from './lossCell';
import { MarkdownCellView } from './markdownCell';
import { SweepCellView } from './sweepCell';
import { TrainCellView } from './trainCell';

/** What a cell's body shows: its own type's output, or its error. */
type BodyKind = CellType | 'error';

const STATUS_TEXT = { pending: 'waiting', running: 'running…', ok: '', failed: 'failed', stopped: 'stopped' } as const;

export class CellView {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly warnings: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly heading: HTMLElement;
  private body: CellBody | null = null;
  private bodyKind: BodyKind | null = null;
  private warningsKey = '[]';
  /** Shared with the body, whose edits address cells[index]. */
  readonly place: CellPlace;

  constructor(
    readonly id: string,
    index: number,
    readonly type: PanelCellState['header']['type'],
  ) {
    this.place = { index };
    this.status = el('span', { class: 'cell-status', 'data-testid': `status-${id}` });
    this.warnings = el('div', { class: 'warnings' });
    this.placeholder = el('p', { class: 'placeholder muted' });
    const heading = (this.heading = el('h2', { id: `title-${id}` }));
    const header =
      type === 'markdown'
        ? null
        : el(
            'header',
            { class: 'cell-header' },
            heading,
            el('span', { class: 'cell-kind' }, `${type} · ${id}`),
            this.status,
            type === 'train'
              ? null
              : button('Re-run', { class: 'tool', title: 'Run this cell again', 'data-testid': `rerun-${id}` }, () => notify('run', { cellId: id })),
            button('PyTorch', { class: 'tool', title: 'Copy this cell as a PyTorch script', 'data-testid': `pytorch-${id}` }, () =>
              notify('copyAsPytorch', { cellId: id }),
            ),
          );
    this.root = el(
      'section',
      { class: `cell cell-${type}`, tabindex: 0, 'data-cell-id': id, 'data-testid': `cell-${id}`, 'aria-labelledby': `title-${id}` },
      header,
      this.warnings,
      this.placeholder,
    );
  }

  update(cell: PanelCellState, p: Palette): void {
    this.place.index = cell.header.index;
    this.heading.textContent = cell.header.title ?? (this.type === 'markdown' ? '' : this.id);
    this.root.classList.toggle('running', cell.status === 'running');
    // A streamed cell says how far through its file it is.
    const progress = cell.status === 'running' && cell.progress ? ` ${Math.floor((100 * cell.progress.done) / cell.progress.total)}%` : '';
    this.status.textContent = STATUS_TEXT[cell.status] + progress;
    this.status.dataset.status = cell.status;
    const result = cell.result;
    // Rebuilt only when they change (a re-run's pending state keeps the last ones).
    const warnings = result?.ok ? ('warnings' in result ? result.warnings : []) : [];
    const warningsKey = JSON.stringify(warnings);
    if (result !== null && warningsKey !== this.warningsKey) {
      this.warningsKey = warningsKey;
      this.warnings.replaceChildren(...warnings.map((w, i) => problemBox(w, `warning-${this.id}-${i}`)));
    }

    const kind: BodyKind = result?.ok === false ? 'error' : cell.header.type;
    const hasOutput = result !== null || cell.sweep !== null || cell.train !== null || kind === 'train';
    // A re-run keeps the last output in place (no flicker, no lost focus) until its own arrives.
    const showing = hasOutput || this.body !== null;
    this.placeholder.textContent = showing
      ? ''
      : cell.status === 'running'
        ? 'Running…'
        : cell.status === 'stopped'
          ? 'Stopped before it finished.'
          : 'Waiting for the engine…';
    this.placeholder.hidden = showing;
    if (!hasOutput) return;
    if (kind !== this.bodyKind || !this.body) {
      this.body?.destroy();
      this.body?.root.remove();
      this.body = this.createBody(kind);
      this.bodyKind = kind;
      this.root.append(this.body.root);
    }
    this.body.update(cell, p);
  }

  private createBody(kind: BodyKind): CellBody {
    switch (kind) {
      case 'error':
        return new ErrorView(this.id);
      case 'loss':
        return new LossCellView(this.id, this.place);
      case 'sweep':
        return new SweepCellView(this.id);
      case 'train':
        return new TrainCellView(this.id);
      case 'markdown':
        return new MarkdownCellView();
      default:
        return assertNever(kind, 'cell body');
    }
  }

  /** The answer to a row of this (loss) cell clicked in the panel. */
  destroy(): void {
    this.body?.destroy();
    this.root.remove();
  }
}

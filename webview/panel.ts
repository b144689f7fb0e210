// The panel: folds the host's events into a RunState (the same fold the host
// and CLI use) and redraws the cells that changed, once per animation frame.
import type { HostToPanel } from '../core/protocol';
import { applyEvent, emptyRunState, type RunState } from '../core/runState';
import { applyChartDefaults } from './charts/setup';
import { CellView } from './cells/cellView';
import { problemBox } from './cells/errorView';
import { button, el } from './dom';
import { persistUi, ui } from './state';
import { readPalette, type Palette } from './theme';
import { post } from './vscodeApi';

export class Panel {
  private state: RunState = emptyRunState();
  private views: CellView[] = [];
  private readonly dirty = new Set<number>();
  private frame = 0;
  private palette: Palette;
  private scrollRestored = false;
  private readonly title = el('h1', { class: 'doc-title' });
  private readonly notice = el('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly fileError = el('div', { class: 'file-error' });
  private readonly cells = el('main', { class: 'cells' });

  constructor(root: HTMLElement) {
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    const actions = el(
      'div',
      { class: 'doc-actions' },
      button('Run all', { class: 'action primary', 'data-testid': 'run-all' }, () => post({ type: 'run' })),
      button('Stop', { class: 'action', 'data-testid': 'stop-all' }, () => post({ type: 'stop' })),
    );
    root.replaceChildren(el('header', { class: 'doc-header' }, this.title, actions), this.notice, this.fileError, this.cells);
    this.cells.addEventListener('focusin', (e) => this.selectFrom(e.target));
    this.cells.addEventListener('pointerdown', (e) => this.selectFrom(e.target));
    window.addEventListener('scroll', () => {
      ui.scrollY = window.scrollY;
      persistUi();
    });
  }

  handle(message: HostToPanel): void {
    switch (message.type) {
      case 'hydrate':
        this.state = message.state;
        // A notice belongs to the state it was sent with; a new state makes it stale.
        this.showNotice('', 'info');
        ui.documentUri = message.documentUri;
        persistUi();
        this.rebuild();
        break;
      case 'events':
        for (const event of message.events) {
          applyEvent(this.state, event);
          if (event.kind === 'scenario') this.rebuild();
          else if ('index' in event) this.dirty.add(event.index);
          // `done` turns a cell still running into 'stopped': any cell may change.
          else if (event.kind === 'done') this.state.cells.forEach((_, i) => this.dirty.add(i));
        }
        break;
      case 'notice':
        this.showNotice(message.message, message.level);
        return;
      case 'selectCell':
        this.select(message.cellId, true);
        return;
    }
    this.schedule();
  }

  private showNotice(text: string, level: 'info' | 'warning' | 'error'): void {
    this.notice.textContent = text;
    this.notice.className = `notice ${level}`;
  }

  themeChanged(): void {
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    this.views.forEach((_, i) => this.dirty.add(i));
    this.schedule();
  }

  /** Matches views to the cells by id and kind, keeping the ones that still fit (and their charts). */
  private rebuild(): void {
    const old = new Map(this.views.map((v) => [v.id, v]));
    this.views = this.state.cells.map(({ header }) => {
      const kept = old.get(header.id);
      if (kept && kept.root.classList.contains(`cell-${header.type}`) && kept.index === header.index) {
        old.delete(header.id);
        return kept;
      }
      return new CellView(header.id, header.index, header.type, header.title);
    });
    for (const view of old.values()) view.destroy();
    this.cells.replaceChildren(...this.views.map((v) => v.root));
    this.views.forEach((_, i) => this.dirty.add(i));
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    this.title.textContent = this.state.title || 'CE Lab';
    this.fileError.replaceChildren(...(this.state.fileError ? [problemBox(this.state.fileError, 'file-error')] : []));
    for (const i of this.dirty) {
      const cell = this.state.cells[i];
      if (cell) this.views[i]?.update(cell, this.palette);
    }
    this.dirty.clear();
    for (const view of this.views) view.root.classList.toggle('selected', view.id === ui.selectedCellId);
    if (!this.scrollRestored && this.views.length) {
      this.scrollRestored = true;
      window.scrollTo(0, ui.scrollY);
    }
  }

  private selectFrom(target: EventTarget | null): void {
    const cell = target instanceof Element ? target.closest<HTMLElement>('[data-cell-id]') : null;
    if (cell?.dataset.cellId) this.select(cell.dataset.cellId, false);
  }

  private select(id: string, reveal: boolean): void {
    ui.selectedCellId = id;
    persistUi();
    for (const view of this.views) view.root.classList.toggle('selected', view.id === id);
    if (reveal) this.views.find((v) => v.id === id)?.root.scrollIntoView({ block: 'start' });
  }
}

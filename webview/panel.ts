// The panel: folds the host's events into a PanelRunState (the same fold the host
// and CLI use) and redraws the cells that changed, once per animation frame.
import { assertNever, applyEvent, emptyRunState, type PanelCellState, type PanelEvent, type PanelRunState } from '../core/view';
import type { Handlers } from '../core/channel';
import type { JsonSyntaxError, PanelApi } from '../core/protocol';
import { deferNewCharts } from './charts/figure';
import { applyChartDefaults } from './charts/setup';
import { CellView } from './cells/cellView';
import { problemBox } from './cells/errorView';
import { button, el } from './dom';
import { persistUi, ui } from './state';
import { readPalette, type Palette } from './theme';
import { takeKeyboard } from './keyboardFocus';
import { notify } from './vscodeApi';

export class Panel {
  private state: PanelRunState = emptyRunState();
  private views: CellView[] = [];
  private readonly dirty = new Set<number>();
  /** What each view last drew a finished cell from (see `changed`). */
  private readonly drawnKeys = new Map<CellView, string>();
  private frame = 0;
  /** The `draw` requests folded in: answered after the next frame, and only then does the host send more. */
  private drawnWaiters: (() => void)[] = [];
  /** The next render follows a hydrate with results: it builds new charts in later frames (deferNewCharts). */
  private chartsLater = false;
  private palette: Palette;
  private scrollRestored = false;
  private readonly title = el('h1', { class: 'doc-title' });
  private readonly notice = el('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly fileError = el('div', { class: 'file-error' });
  private shownFileError: PanelRunState['fileError'] = null;
  /** Set while the document does not parse: the results shown are from its last valid version. */
  private parseError: JsonSyntaxError | null = null;
  private readonly parseBanner = el('div', { class: 'parse-error', role: 'alert', 'data-testid': 'parse-error', hidden: true });
  private readonly cells = el('main', { class: 'cells' });

  constructor(root: HTMLElement) {
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    const actions = el(
      'div',
      { class: 'doc-actions' },
      button('Run all', { class: 'action primary', 'data-testid': 'run-all' }, () => notify('run', {})),
      button('Stop', { class: 'action', 'data-testid': 'stop-all' }, () => notify('stop', {})),
    );
    root.replaceChildren(el('header', { class: 'doc-header' }, this.title, actions), this.notice, this.parseBanner, this.fileError, this.cells);
    this.cells.addEventListener('focusin', (e) => this.selectFrom(e.target));
    this.cells.addEventListener('pointerdown', (e) => this.selectFrom(e.target));
    window.addEventListener('scroll', () => {
      ui.scrollY = window.scrollY;
      persistUi();
    });
  }

  /** How the panel answers the host (webview/vscodeApi.ts). */
  readonly handlers: Handlers<PanelApi> = {
    requests: {
      // Answered once drawn: the host sends the next batch only then. A run's end (a Stop's answer, a drag's
      // loss) is drawn at once, not in the next frame: the host paces batches, so this draws at most once a batch.
      draw: ({ events }) => {
        for (const event of events) {
          applyEvent(this.state, event);
          this.markChanged(event);
        }
        return new Promise<null>((resolve) => {
          this.drawnWaiters.push(() => resolve(null));
          if (events.some((e) => e.kind === 'done')) this.renderNow();
          else this.schedule();
        });
      },
      focus: () => takeKeyboard(),
    },
    notices: {
      hydrate: (message) => {
        this.state = message.state;
        // A notice belongs to the state it was sent with; a new state makes it stale.
        this.showNotice('', 'info');
        this.parseError = message.syntaxError ?? null;
        ui.documentUri = message.documentUri;
        persistUi();
        this.rebuild();
        // A state with results (a panel opened, or shown again, on a finished run): its numbers first, its charts after.
        this.chartsLater = message.state.cells.some((c) => c.result !== null);
        this.schedule();
      },
      notice: ({ message, level }) => this.showNotice(message, level),
      selectCell: ({ cellId }) => this.select(cellId, true),
      syntax: ({ error }) => {
        this.parseError = error;
        this.schedule();
      },
    },
  };

  /** What an event (already folded into the state) makes stale on screen. */
  private markChanged(event: PanelEvent): void {
    switch (event.kind) {
      case 'scenario':
        this.parseError = null; // it parsed
        this.showNotice('', 'info'); // a notice is about the run before (a worker restarted, a run stopped)
        this.rebuild();
        return;
      case 'file-error':
      case 'cell-detail':
        return;
      case 'cell-started':
        // A run of one cell starts without a `scenario` event: its start too makes the last run's notice stale.
        this.showNotice('', 'info');
        this.dirty.add(event.index);
        return;
      case 'cell-progress':
      case 'sweep-point':
      case 'train-progress':
      case 'cell-result':
      case 'cell-failed':
        this.dirty.add(event.index);
        return;
      case 'done':
        // It turns a cell still running into 'stopped': any cell may change.
        this.state.cells.forEach((_, i) => this.dirty.add(i));
        return;
      default:
        assertNever(event, 'engine event');
    }
  }

  private showNotice(text: string, level: 'info' | 'warning' | 'error'): void {
    // Every re-run clears it: touching the DOM only when it changes keeps a drag's frames light.
    if (this.notice.textContent === text && this.notice.classList.contains(level)) return;
    this.notice.textContent = text;
    this.notice.className = `notice ${level}`;
  }

  themeChanged(): void {
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    this.drawnKeys.clear();
    this.views.forEach((_, i) => this.dirty.add(i));
    this.schedule();
  }

  /**
   * Matches views to the cells by id and kind, keeping the ones that still fit
   * (their DOM, charts, focus and any pointer capture of a gesture under way),
   * and moves only the nodes that are out of order.
   */
  private rebuild(): void {
    const old = new Map(this.views.map((v) => [v.id, v]));
    this.views = this.state.cells.map(({ header }) => {
      const kept = old.get(header.id);
      if (kept && kept.type === header.type) {
        old.delete(header.id);
        return kept;
      }
      return new CellView(header.id, header.index, header.type);
    });
    for (const view of old.values()) {
      view.destroy();
      this.drawnKeys.delete(view);
    }
    let next = this.cells.firstChild;
    for (const view of this.views) {
      if (view.root === next) next = next.nextSibling;
      else this.cells.insertBefore(view.root, next);
    }
    this.views.forEach((_, i) => this.dirty.add(i));
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.render();
  }

  private render(): void {
    this.frame = 0;
    deferNewCharts(this.chartsLater);
    this.chartsLater = false;
    try {
      this.renderCells();
    } finally {
      deferNewCharts(false);
    }
    const drawn = this.drawnWaiters;
    this.drawnWaiters = [];
    for (const answer of drawn) answer();
  }

  private renderCells(): void {
    this.title.textContent = this.state.title || 'CE Lab';
    this.renderParseError();
    // The engine's own JSON error (a character offset) says less than the host's line:column.
    const fileError = this.parseError ? null : this.state.fileError;
    if (fileError !== this.shownFileError) this.fileError.replaceChildren(...(fileError ? [problemBox(fileError, 'file-error')] : []));
    this.shownFileError = fileError;
    for (const i of this.dirty) {
      const cell = this.state.cells[i];
      const view = this.views[i];
      if (cell && view && this.changed(view, cell)) view.update(cell, this.palette);
    }
    this.dirty.clear();
    for (const view of this.views) view.root.classList.toggle('selected', view.id === ui.selectedCellId);
    if (!this.scrollRestored && this.views.length) {
      this.scrollRestored = true;
      window.scrollTo(0, ui.scrollY);
    }
  }

  /**
   * Whether `view` shows something other than `cell`: a re-run (a drag's every
   * transient edit) that leaves a finished cell as it was redraws nothing of it.
   * A cell still streaming changes with every batch, and is always redrawn.
   */
  private changed(view: CellView, cell: PanelCellState): boolean {
    const finished = cell.result !== null && cell.train === null && cell.sweep === null;
    const key = finished ? JSON.stringify([cell.header, cell.status, cell.result]) : '';
    if (key && this.drawnKeys.get(view) === key) return false;
    this.drawnKeys.set(view, key);
    return true;
  }

  private renderParseError(): void {
    const error = this.parseError;
    this.parseBanner.hidden = error === null;
    this.cells.classList.toggle('stale', error !== null && this.views.length > 0);
    if (!error) return;
    const kept = this.views.length ? ' The results below are from the last version that parsed.' : '';
    this.parseBanner.replaceChildren(
      el('strong', {}, `The document does not parse at line ${error.line}, column ${error.column}:`),
      ` ${error.message.replace(/\.$/, '')}.${kept}`,
    );
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

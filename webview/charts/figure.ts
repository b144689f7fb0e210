// One chart with its table twin and its toolbar (table toggle, zoom reset,
// PNG / CSV / JSON export). The table is always in the DOM: when the chart is
// shown it is only visually hidden, so screen readers and tests can read it.
import type { ChartConfiguration } from 'chart.js';
import { button, el } from '../dom';
import { persistUi, ui } from '../state';
import { notify } from '../vscodeApi';
import { Chart } from './setup';
import { renderTable, toCsv, type TableData } from './table';

export interface FigureOptions {
  /** Unique and stable: keys the persisted table toggle and zoom. */
  key: string;
  /** Names the figure for screen readers and its toolbar; shown above it unless `untitled`. */
  title: string;
  /** The cell's own heading already says what this figure is (no title twice). */
  untitled?: boolean;
  tableTestId?: string;
  size?: 'short' | 'medium' | 'tall' | 'square';
  zoomable?: boolean;
  /** Only the table (for data too big to draw as bars). */
  chartless?: boolean;
}

/**
 * What the JSON button exports: numbers the panel has, or a cell's whole result,
 * which only the host holds (a loss cell's N×C tensors are never sent to the panel).
 */
export type JsonSource = (() => unknown) | { cellResult: string };

/** Whether a gesture is under way (see holdOffscreen), and the figures whose new numbers wait for its end. */
let holding = false;
const waiting = new Set<Figure>();
/**
 * Whether a chart made now waits for a later frame (see deferNewCharts), the figures whose first chart waits, in
 * the order they were drawn (top first), and the frame that builds the next of them.
 */
let deferring = false;
const unbuilt: Figure[] = [];
let buildFrame = 0;
/** Charts are built in a frame until this much of it is spent; the rest wait for the next one. */
const BUILD_SLICE_MS = 8;

/**
 * While on, a figure that has no chart yet takes its numbers (its table at once) and builds its chart in a later
 * frame: a new Chart.js chart costs tens of milliseconds, and a panel opened on finished results puts its numbers on
 * screen first, then its charts, a few a frame, those in view first (see the visibility observer).
 */
export function deferNewCharts(on: boolean): void {
  deferring = on;
}

function buildSome(): void {
  buildFrame = 0;
  if (!unbuilt.length) return;
  const start = performance.now();
  // At least one a frame; more while the frame has time left.
  do unbuilt[0].flush();
  while (unbuilt.length && performance.now() - start < BUILD_SLICE_MS);
  if (unbuilt.length) buildFrame = requestAnimationFrame(buildSome);
}

/** The figure of each chart box, and whether the box is in view (unknown until the observer first says). */
const figureOf = new WeakMap<Element, Figure>();
const inView = new WeakMap<Element, boolean>();
const visibility = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    inView.set(entry.target, entry.isIntersecting);
    const figure = entry.isIntersecting ? figureOf.get(entry.target) : undefined;
    if (!figure) continue;
    // A chart still to be built comes next in the queue (built a few a frame, see buildSome); other numbers now.
    const queued = unbuilt.indexOf(figure);
    if (queued > 0) unbuilt.unshift(...unbuilt.splice(queued, 1));
    else if (queued < 0) figure.flush();
  }
});

/**
 * While a knob or logit bar is held (a drag re-runs the scenario every frame),
 * a chart out of view takes its new numbers only once it comes into view or the
 * gesture ends: a drag's frames draw what can be seen.
 */
export function holdOffscreen(on: boolean): void {
  holding = on;
  if (on) return;
  for (const figure of waiting) figure.flush();
  waiting.clear();
}

export class Figure {
  readonly root: HTMLElement;
  chart: Chart | null = null;
  private chartType = '';
  private readonly canvasBox: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly table: HTMLTableElement;
  private readonly toggle: HTMLButtonElement;
  private tableData: TableData = { caption: '', columns: [], rows: [] };
  private json: JsonSource = () => null;
  /** New numbers that wait until the chart is in view or the gesture ends. */
  private pending: ChartConfiguration | null = null;

  constructor(private readonly options: FigureOptions) {
    this.canvas = el('canvas', { role: 'img', 'aria-label': options.title });
    this.canvasBox = el('div', { class: `chart-box ${options.size ?? 'medium'}` }, this.canvas);
    this.table = el('table', { class: 'data-table', 'data-testid': options.tableTestId });
    this.toggle = button('Table', { class: 'tool', 'aria-pressed': 'false', title: 'Show the numbers as a table' }, () =>
      this.setTableView(!ui.tableView[options.key]),
    );
    const tools = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': `${options.title} tools` },
      options.chartless ? null : this.toggle,
      options.zoomable ? button('Reset zoom', { class: 'tool', title: 'Back to the full range' }, () => this.resetZoom()) : null,
      options.chartless ? null : button('PNG', { class: 'tool', title: 'Export the chart as PNG' }, () => this.exportPng()),
      button('CSV', { class: 'tool', title: 'Export the numbers as CSV' }, () => this.exportText('csv', toCsv(this.tableData))),
      button('JSON', { class: 'tool', title: 'Export the numbers as JSON' }, () => this.exportJson()),
    );
    this.root = el(
      'figure',
      { class: 'figure', 'aria-label': options.title },
      el('figcaption', {}, el('span', { class: 'figure-title' }, options.untitled ? '' : options.title), tools),
      options.chartless ? null : this.canvasBox,
      // Big tables start folded: still in the DOM for screen readers and tests.
      options.chartless ? el('details', {}, el('summary', {}, 'Show the numbers'), this.table) : this.table,
    );
    this.setTableView(options.chartless || (ui.tableView[options.key] ?? false));
    figureOf.set(this.canvasBox, this);
    visibility.observe(this.canvasBox);
  }

  get key(): string {
    return this.options.key;
  }

  /** Creates the chart, or swaps in new data and options without animating (out of view during a gesture: later). */
  render(config: ChartConfiguration): void {
    this.pending = null;
    if (deferring && !(this.chart && this.chartType === config.type)) {
      this.pending = config;
      if (!unbuilt.includes(this)) unbuilt.push(this);
      buildFrame ||= requestAnimationFrame(buildSome);
      return;
    }
    if (holding && this.chart && this.chartType === config.type && inView.get(this.canvasBox) === false) {
      this.pending = config;
      waiting.add(this);
      return;
    }
    if (this.chart && this.chartType === config.type) {
      this.chart.data = config.data;
      this.chart.options = config.options ?? {};
      this.chart.update('none');
      return;
    }
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, config);
    this.chartType = config.type;
  }

  /** Draws the numbers that waited (see holdOffscreen and deferNewCharts). */
  flush(): void {
    const pending = this.pending;
    const queued = unbuilt.indexOf(this);
    if (queued >= 0) unbuilt.splice(queued, 1);
    if (pending) this.render(pending);
  }

  setTable(data: TableData, json: JsonSource): void {
    this.tableData = data;
    this.json = json;
    renderTable(this.table, data);
  }

  /** The persisted zoomed x range, to start a rebuilt chart where the user left it. */
  savedZoom() {
    return ui.zoom[this.options.key];
  }

  rememberZoom(): void {
    const x = this.chart?.scales.x;
    if (!x) return;
    ui.zoom[this.options.key] = { min: x.min, max: x.max };
    persistUi();
  }

  private resetZoom(): void {
    delete ui.zoom[this.options.key];
    persistUi();
    if (!this.chart) return;
    this.chart.resetZoom('none');
    // A range restored from saved state lives in the options: drop it too.
    const x = this.chart.options.scales?.x;
    if (x) Object.assign(x, { min: undefined, max: undefined });
    this.chart.update('none');
  }

  private setTableView(on: boolean): void {
    ui.tableView[this.options.key] = on;
    persistUi();
    this.toggle.setAttribute('aria-pressed', String(on));
    this.canvasBox.classList.toggle('hidden', on);
    this.table.classList.toggle('visually-hidden', !on);
  }

  private exportPng(): void {
    this.flush();
    if (!this.chart) return;
    notify('export', { format: 'png', suggestedName: `${this.options.key}.png`, data: this.chart.toBase64Image('image/png') });
  }

  private exportJson(): void {
    const json = this.json;
    if (typeof json === 'function') this.exportText('json', JSON.stringify(json(), null, 2));
    else notify('exportCell', { cellId: json.cellResult, suggestedName: `${this.options.key}.json` });
  }

  private exportText(format: 'csv' | 'json', data: string): void {
    notify('export', { format, suggestedName: `${this.options.key}.${format}`, data });
  }

  destroy(): void {
    visibility.unobserve(this.canvasBox);
    waiting.delete(this);
    const queued = unbuilt.indexOf(this);
    if (queued >= 0) unbuilt.splice(queued, 1);
    this.chart?.destroy();
    this.chart = null;
  }
}

// Every element of a streamed loss cell, a page at a time: the per-element facts
// stay in the engine worker, and the panel asks for the page it shows (the host
// passes the request on). A new result of the cell fetches the page again.
import { messageOf, type RowsPage } from '../../core/view';
import { button, el } from '../dom';
import { fmt, fmtShort } from '../format';
import { request } from '../vscodeApi';

/** Rows a page shows. */
const PAGE_ROWS = 50;

export class ElementPages {
  readonly root = el('section', { class: 'element-pages' });
  private from = 0;
  private total = 0;
  /** Answers to an older request are dropped. */
  private asked = 0;

  constructor(
    private readonly id: string,
    /** Opens an element's softmax and gradient (a row clicked). */
    private readonly open: (element: number) => void,
  ) {}

  /** The cell has a new result (of `total` elements): the page shown is fetched again. */
  resultChanged(total: number): void {
    this.total = total;
    this.from = Math.min(this.from, Math.max(0, total - 1) - (Math.max(0, total - 1) % PAGE_ROWS));
    void this.load();
  }

  private async load(): Promise<void> {
    const asked = ++this.asked;
    let shown: HTMLElement;
    try {
      const page = await request('rows', { cellId: this.id, from: this.from, count: PAGE_ROWS });
      shown = this.table(page);
    } catch (err) {
      shown = el('p', { class: 'problem-text' }, `The elements could not be shown: ${messageOf(err)}`);
    }
    if (asked === this.asked) this.root.replaceChildren(this.pager(), shown);
  }

  private go(from: number): void {
    this.from = from;
    void this.load();
  }

  private pager(): HTMLElement {
    const last = this.from + PAGE_ROWS >= this.total;
    const previous = button('‹ Previous', { class: 'action', 'data-testid': `rows-previous-${this.id}` }, () =>
      this.go(Math.max(0, this.from - PAGE_ROWS)),
    );
    const next = button('Next ›', { class: 'action', 'data-testid': `rows-next-${this.id}` }, () => this.go(this.from + PAGE_ROWS));
    previous.disabled = this.from === 0;
    next.disabled = last;
    const range = `${(this.from + 1).toLocaleString('en-US')}–${Math.min(this.total, this.from + PAGE_ROWS).toLocaleString('en-US')}`;
    return el(
      'div',
      { class: 'pager' },
      previous,
      el('span', { class: 'muted' }, `elements ${range} of ${this.total.toLocaleString('en-US')}`),
      next,
    );
  }

  private table(page: RowsPage): HTMLElement {
    const head = el(
      'tr',
      {},
      ...['element', 'target', 'loss', 'p(target)', 'rank', 'most probable', 'entropy'].map((h) => el('th', { scope: 'col' }, h)),
    );
    const rows = page.rows.map((r) =>
      el(
        'tr',
        {},
        el(
          'th',
          { scope: 'row' },
          button(`#${r.element}`, { class: 'link', title: 'Show this element’s softmax and gradient' }, () => this.open(r.element)),
        ),
        el('td', {}, r.targetName),
        el('td', {}, fmt(r.loss)),
        el('td', {}, fmtShort(r.p_target)),
        el('td', {}, String(r.rank)),
        el('td', {}, r.topName),
        el('td', {}, fmtShort(r.entropy)),
      ),
    );
    return el(
      'table',
      { class: 'data-table', 'data-testid': `rows-${this.id}` },
      el('caption', {}, 'Every element, in file order'),
      el('thead', {}, head),
      el('tbody', {}, ...rows),
    );
  }
}

// The logits as written (before temperature): one vertical bar per class and
// element. Where the scenario writes them as numbers the bars are sliders:
// drag one (or ↑/↓ on the focused bar) to edit that logit. The bar follows the
// hand while it moves and keeps the committed value until the host's re-run
// reports it; otherwise the bars show the host's numbers. Left/right move
// between bars (one tab stop for the whole strip).
import { classNames, type LossView } from '../../core/view';
import { el } from '../dom';
import { fmtShort } from '../format';
import { EditStream, HeldValue, keyStep, stepValue } from '../knobs';
import { logitPath, type ElementRow } from '../lossData';
import { classColor, type Palette } from '../theme';
import type { CellPlace } from './cellBody';

const READ_ONLY_REASON =
  'Read-only: these logits are generated ({"random": …}) or loaded from a file ({"npy": …} and the like), so there is no number in the scenario to edit. Write them as nested arrays to drag them.';
/** A press moves the pointer this far before it counts as a drag (a plain click only focuses). */
const DRAG_THRESHOLD_PX = 3;
/** ↑/↓ step; Shift or PageUp/PageDown step ten times this. */
const KEY_STEP = 0.1;

/** A symmetric range around zero with a little headroom, on a coarse ladder so it rarely changes. */
function niceExtent(logits: number[][]): number {
  const max = logits.reduce((m, row) => row.reduce((a, z) => (Number.isFinite(z) ? Math.max(a, Math.abs(z)) : a), m), 0);
  const want = Math.max(1, max * 1.1);
  const decade = Math.pow(10, Math.floor(Math.log10(want)));
  return [1, 1.5, 2, 3, 4, 6, 8, 10].map((k) => k * decade).find((v) => v >= want) ?? 10 * decade;
}

/** Logits are written with two decimals (one past ±20): tidy JSON, fine enough to steer. */
function tidy(value: number, extent: number): number {
  return Number(value.toFixed(extent > 20 ? 1 : 2));
}

interface Bar {
  track: HTMLElement;
  fill: HTMLElement;
  value: HTMLElement;
  e: number;
  c: number;
  /** The user's value while their gesture is under way or unanswered. */
  hand: HeldValue;
  edits: EditStream;
  /** The value drawn now. */
  shown: number;
}

interface Drag {
  bar: Bar;
  /** The track's box at the press: it does not move during a drag, and reading it again would force a layout a move. */
  rect: DOMRect;
  pointerId: number;
  startY: number;
  start: number;
  latest: number;
  moved: boolean;
}

export class LogitBars {
  readonly root: HTMLElement;
  private readonly strip: HTMLElement;
  private readonly title: HTMLElement;
  private readonly axis: HTMLElement[];
  private readonly legend: HTMLElement;
  private readonly note: HTMLElement;
  private bars: Bar[] = [];
  private labels: HTMLElement[] = [];
  private structure = '';
  private view: LossView | null = null;
  private rows: ElementRow[] = [];
  private palette: Palette | null = null;
  private extent = 1;
  private drag: Drag | null = null;
  /** The bar whose arrow key is down (its key-up commits). */
  private keyed: Bar | null = null;

  constructor(
    private readonly id: string,
    private readonly place: CellPlace,
  ) {
    this.title = el('span', { class: 'figure-title' });
    this.legend = el('span', { class: 'logit-legend', 'aria-hidden': 'true' });
    this.note = el('span', { class: 'muted' });
    this.axis = [0, 1, 2].map(() => el('span'));
    this.strip = el('div', { class: 'logit-strip', role: 'group', 'data-testid': `logits-${id}` });
    this.root = el(
      'figure',
      { class: 'figure logit-figure' },
      el('figcaption', {}, this.title, this.note, this.legend),
      el('div', { class: 'logit-plot' }, el('div', { class: 'logit-axis', 'aria-hidden': 'true' }, ...this.axis), this.strip),
    );
  }

  update(view: LossView, rows: ElementRow[], p: Palette): void {
    this.view = view;
    this.rows = rows;
    this.palette = p;
    const structure = `${view.shape.join('×')}|${view.logitsEditable}`;
    if (structure !== this.structure) this.build(view, rows);
    this.structure = structure;
    this.paint();
  }

  private build(view: LossView, rows: ElementRow[]): void {
    const editable = view.logitsEditable;
    this.title.textContent = editable ? 'Logits z as written (drag a bar, or ↑/↓ on a focused bar, to edit)' : 'Logits z as written (read-only)';
    this.note.textContent = editable ? '' : 'generated or loaded from a file, so not numbers in the scenario';
    this.strip.setAttribute('aria-label', editable ? 'Logits: drag a bar or use the arrow keys to edit' : 'Logits (read-only)');
    this.root.title = editable ? '' : READ_ONLY_REASON;
    this.root.classList.toggle('read-only', !editable);
    const classes = classNames(view);
    this.legend.replaceChildren(...classes.map((name, c) => el('span', { class: 'logit-key', 'data-class': c }, el('i'), name)));
    this.bars = [];
    this.labels = [];
    const groups = rows.map((row, e) => {
      const tracks = classes.map((name, c) => {
        const bar = this.makeBar(e, c, `logit of ${name}, element ${row.label}`, editable);
        this.bars.push(bar);
        return el('div', { class: 'logit-column' }, bar.track, bar.value);
      });
      const label = el('div', { class: 'logit-label' });
      this.labels.push(label);
      return el('div', { class: 'logit-element' }, el('div', { class: 'logit-columns' }, ...tracks), label);
    });
    this.strip.replaceChildren(...groups);
    this.bars[0]?.track.setAttribute('tabindex', '0');
  }

  private makeBar(e: number, c: number, label: string, editable: boolean): Bar {
    const fill = el('div', { class: 'logit-fill' });
    const track = el(
      'div',
      {
        class: 'logit-track',
        role: 'slider',
        tabindex: -1,
        'aria-orientation': 'vertical',
        'aria-label': label,
        'aria-readonly': editable ? undefined : 'true',
        'data-testid': `logit-${this.id}-${e}-${c}`,
      },
      fill,
    );
    const edits = new EditStream(() => logitPath(this.place.index, this.view?.shape ?? [], e, c));
    const bar: Bar = { track, fill, value: el('span', { class: 'logit-value' }), e, c, hand: new HeldValue(), edits, shown: NaN };
    track.addEventListener('keydown', (ev) => this.onKeyDown(ev, bar));
    if (editable) {
      track.addEventListener('keyup', (ev) => this.onKeyUp(ev, bar));
      track.addEventListener('pointerdown', (ev) => this.onPointerDown(ev, bar));
      track.addEventListener('pointermove', (ev) => this.onPointerMove(ev));
      track.addEventListener('pointerup', (ev) => this.endDrag(true, ev));
      track.addEventListener('lostpointercapture', () => this.endDrag(true));
    }
    return bar;
  }

  /** Draws the host's numbers (the hand's where it holds one); the range stays put while a drag is under way, so the bar does not slide away from the hand. */
  private paint(): void {
    const view = this.view;
    const p = this.palette;
    if (!view || !p) return;
    if (!this.drag) this.extent = niceExtent(view.rows?.logits ?? []);
    const ext = this.extent;
    this.legend.querySelectorAll('i').forEach((swatch, c) => (swatch.style.background = classColor(p, c)));
    this.axis[0].textContent = `+${fmtShort(ext)}`;
    this.axis[1].textContent = '0';
    this.axis[2].textContent = `−${fmtShort(ext)}`;
    for (const bar of this.bars) {
      bar.fill.style.background = this.rows[bar.e]?.ignored ? p.ignored : classColor(p, bar.c);
      this.paintBar(bar, bar.hand.shown(view.rows?.logits[bar.e]?.[bar.c] ?? NaN));
    }
    this.rows.forEach((row, e) => {
      const label = this.labels[e];
      if (!label) return;
      const target = row.ignored ? 'ignored' : row.targetIndex !== null ? `→ ${view.classes?.[row.targetIndex] ?? row.targetIndex}` : '';
      label.textContent = target ? `${row.label} ${target}` : row.label;
    });
  }

  private paintBar(bar: Bar, z: number): void {
    const ext = this.extent;
    bar.shown = z;
    const clamped = Math.max(-ext, Math.min(ext, Number.isFinite(z) ? z : 0));
    bar.fill.style.top = `${50 - Math.max(clamped, 0) * (50 / ext)}%`;
    bar.fill.style.height = `${(Math.abs(clamped) * 50) / ext}%`;
    bar.value.textContent = Number.isFinite(z) ? String(Number(z.toPrecision(3))) : fmtShort(z); // 3 digits fit under a bar
    bar.track.setAttribute('aria-valuenow', String(z));
    bar.track.setAttribute('aria-valuetext', fmtShort(z));
    bar.track.setAttribute('aria-valuemin', String(-ext));
    bar.track.setAttribute('aria-valuemax', String(ext));
  }

  /** The user moved bar to `value`: draw it there now and tell the host. */
  private handMoved(bar: Bar, value: number): void {
    bar.hand.hold(value);
    this.paintBar(bar, value);
    bar.edits.move(value);
  }

  private handCommitted(bar: Bar, value: number): void {
    bar.hand.hold(value);
    this.paintBar(bar, value);
    bar.edits.commit(value);
    bar.hand.release();
  }

  private valueAt(rect: DOMRect, clientY: number): number {
    const fraction = Math.max(0, Math.min(1, (clientY - rect.top) / rect.height));
    return tidy(this.extent * (1 - 2 * fraction), this.extent);
  }

  private onPointerDown(ev: PointerEvent, bar: Bar): void {
    if (ev.button !== 0 || this.drag) return;
    ev.preventDefault(); // no text selection while dragging
    this.focus(bar);
    bar.track.setPointerCapture(ev.pointerId);
    this.drag = {
      bar,
      rect: bar.track.getBoundingClientRect(),
      pointerId: ev.pointerId,
      startY: ev.clientY,
      start: bar.shown,
      latest: bar.shown,
      moved: false,
    };
  }

  private onPointerMove(ev: PointerEvent): void {
    const drag = this.drag;
    if (!drag || ev.pointerId !== drag.pointerId) return;
    if (!drag.moved && Math.abs(ev.clientY - drag.startY) < DRAG_THRESHOLD_PX) return;
    drag.moved = true;
    drag.bar.track.classList.add('dragging');
    const value = this.valueAt(drag.rect, ev.clientY);
    if (value === drag.latest) return;
    drag.latest = value;
    this.handMoved(drag.bar, value);
  }

  /** Release commits the value under the pointer; Escape puts the starting value back. */
  private endDrag(commit: boolean, ev?: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    drag.bar.track.classList.remove('dragging');
    if (drag.bar.track.hasPointerCapture(drag.pointerId)) drag.bar.track.releasePointerCapture(drag.pointerId);
    // The release point itself is under the pointer too (a last pointermove may not have come).
    if (commit && ev && drag.moved) drag.latest = this.valueAt(drag.rect, ev.clientY);
    if (drag.moved) this.handCommitted(drag.bar, commit ? drag.latest : drag.start);
    this.paint();
  }

  private onKeyDown(ev: KeyboardEvent, bar: Bar): void {
    const move = { ArrowLeft: -1, ArrowRight: 1 }[ev.key];
    if (move !== undefined) {
      ev.preventDefault();
      this.focus(this.bars[Math.max(0, Math.min(this.bars.length - 1, this.bars.indexOf(bar) + move))]);
      return;
    }
    if (ev.key === 'Escape' && this.drag) {
      ev.preventDefault();
      this.endDrag(false);
      return;
    }
    const steps = keyStep(ev, ['ArrowUp'], ['ArrowDown']);
    if (steps === null || !this.view?.logitsEditable || this.drag) return;
    ev.preventDefault();
    this.keyed = bar;
    const from = Number.isFinite(bar.shown) ? bar.shown : 0;
    this.handMoved(bar, stepValue(from, steps, KEY_STEP, -Infinity, Infinity));
  }

  /** Holding a key streams transient edits; letting go commits one undo step. */
  private onKeyUp(ev: KeyboardEvent, bar: Bar): void {
    if (keyStep(ev, ['ArrowUp'], ['ArrowDown']) === null || this.keyed !== bar) return;
    this.keyed = null;
    this.handCommitted(bar, bar.shown);
  }

  private focus(bar: Bar | undefined): void {
    if (!bar) return;
    for (const b of this.bars) b.track.setAttribute('tabindex', b === bar ? '0' : '-1');
    bar.track.focus();
  }
}

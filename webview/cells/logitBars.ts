// The logits as written (before temperature): one vertical bar per class and
// element. Where the scenario writes them as numbers the bars are sliders:
// drag one (or ↑/↓ on the focused bar) to edit that logit. Like the knobs, the
// bars never show a number the host did not send: they post edits and wait for
// the re-run. Left/right move between bars (one tab stop for the whole strip).
import type { LossView } from '../../core/results';
import { el } from '../dom';
import { fmtShort } from '../format';
import { EditStream } from '../knobs';
import { logitPath, type ElementRow } from '../lossData';
import { classColor, type Palette } from '../theme';

const READ_ONLY_REASON =
  'Read-only: these logits are generated ({"random": …}) or loaded from a file ({"npy": …}), so there is no number in the scenario to edit. Write them as nested arrays to drag them.';
/** A press moves the pointer this far before it counts as a drag (a plain click only focuses). */
const DRAG_THRESHOLD_PX = 3;

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
  guide: HTMLElement;
  value: HTMLElement;
  e: number;
  c: number;
}

interface Drag {
  bar: Bar;
  pointerId: number;
  startY: number;
  start: number;
  latest: number;
  moved: boolean;
  edits: EditStream;
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
  /** The value the keyboard last sent for a bar, until the host's re-run arrives. */
  private keyed: { bar: Bar; value: number; edits: EditStream } | null = null;

  constructor(
    private readonly id: string,
    private readonly cellIndex: number,
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
    this.keyed = null; // the host has answered: keys step from its numbers again
    const structure = `${view.shape.join('×')}|${view.logitsEditable}`;
    if (structure !== this.structure) this.build(view, rows);
    this.structure = structure;
    this.paint();
  }

  private build(view: LossView, rows: ElementRow[]): void {
    const editable = view.logitsEditable;
    this.title.textContent = editable ? 'Logits z as written (drag a bar, or ↑/↓ on a focused bar, to edit)' : 'Logits z as written (read-only)';
    this.note.textContent = editable ? '' : 'generated or loaded from .npy, so not numbers in the scenario';
    this.strip.setAttribute('aria-label', editable ? 'Logits: drag a bar or use the arrow keys to edit' : 'Logits (read-only)');
    this.root.title = editable ? '' : READ_ONLY_REASON;
    this.root.classList.toggle('read-only', !editable);
    this.legend.replaceChildren(...view.classes.map((name, c) => el('span', { class: 'logit-key', 'data-class': c }, el('i'), name)));
    this.bars = [];
    this.labels = [];
    const groups = rows.map((row, e) => {
      const tracks = view.classes.map((name, c) => {
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
    const guide = el('div', { class: 'logit-guide', hidden: true });
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
      guide,
    );
    const bar: Bar = { track, fill, guide, value: el('span', { class: 'logit-value' }), e, c };
    track.addEventListener('keydown', (ev) => this.onKeyDown(ev, bar));
    if (editable) {
      track.addEventListener('keyup', (ev) => this.onKeyUp(ev, bar));
      track.addEventListener('pointerdown', (ev) => this.onPointerDown(ev, bar));
      track.addEventListener('pointermove', (ev) => this.onPointerMove(ev));
      track.addEventListener('pointerup', () => this.endDrag(true));
      track.addEventListener('lostpointercapture', () => this.endDrag(true));
    }
    return bar;
  }

  /** Draws the host's numbers; the range stays put while a drag is under way, so the bar does not slide away from the hand. */
  private paint(): void {
    const view = this.view;
    const p = this.palette;
    if (!view || !p) return;
    if (!this.drag) this.extent = niceExtent(view.logits);
    const ext = this.extent;
    this.legend.querySelectorAll('i').forEach((swatch, c) => (swatch.style.background = classColor(p, c)));
    this.axis[0].textContent = `+${fmtShort(ext)}`;
    this.axis[1].textContent = '0';
    this.axis[2].textContent = `−${fmtShort(ext)}`;
    for (const bar of this.bars) {
      const z = view.logits[bar.e]?.[bar.c] ?? NaN;
      const row = this.rows[bar.e];
      const clamped = Math.max(-ext, Math.min(ext, Number.isFinite(z) ? z : 0));
      const top = 50 - Math.max(clamped, 0) * (50 / ext);
      bar.fill.style.top = `${top}%`;
      bar.fill.style.height = `${(Math.abs(clamped) * 50) / ext}%`;
      bar.fill.style.background = row?.ignored ? p.ignored : classColor(p, bar.c);
      bar.value.textContent = Number.isFinite(z) ? String(Number(z.toPrecision(3))) : fmtShort(z); // 3 digits fit under a bar
      bar.track.setAttribute('aria-valuenow', String(z));
      bar.track.setAttribute('aria-valuetext', fmtShort(z));
      bar.track.setAttribute('aria-valuemin', String(-ext));
      bar.track.setAttribute('aria-valuemax', String(ext));
    }
    this.rows.forEach((row, e) => {
      const label = this.labels[e];
      if (!label) return;
      const target = row.ignored ? 'ignored' : row.targetIndex !== null ? `→ ${view.classes[row.targetIndex] ?? row.targetIndex}` : '';
      label.textContent = target ? `${row.label} ${target}` : row.label;
    });
  }

  private valueAt(bar: Bar, clientY: number): number {
    const rect = bar.track.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (clientY - rect.top) / rect.height));
    return tidy(this.extent * (1 - 2 * fraction), this.extent);
  }

  private path(bar: Bar) {
    return logitPath(this.cellIndex, this.view?.shape ?? [], bar.e, bar.c);
  }

  private onPointerDown(ev: PointerEvent, bar: Bar): void {
    if (ev.button !== 0 || this.drag) return;
    ev.preventDefault(); // no text selection while dragging
    this.focus(bar);
    bar.track.setPointerCapture(ev.pointerId);
    const start = this.view?.logits[bar.e]?.[bar.c] ?? 0;
    this.drag = { bar, pointerId: ev.pointerId, startY: ev.clientY, start, latest: start, moved: false, edits: new EditStream(this.path(bar)) };
  }

  private onPointerMove(ev: PointerEvent): void {
    const drag = this.drag;
    if (!drag || ev.pointerId !== drag.pointerId) return;
    if (!drag.moved && Math.abs(ev.clientY - drag.startY) < DRAG_THRESHOLD_PX) return;
    drag.moved = true;
    drag.bar.track.classList.add('dragging');
    const value = this.valueAt(drag.bar, ev.clientY);
    // The guide marks where the hand is; the bar itself waits for the host.
    const rect = drag.bar.track.getBoundingClientRect();
    drag.bar.guide.hidden = false;
    drag.bar.guide.style.top = `${Math.max(0, Math.min(100, ((ev.clientY - rect.top) / rect.height) * 100))}%`;
    if (value === drag.latest) return;
    drag.latest = value;
    drag.edits.move(value);
  }

  /** Release commits the last value; Escape puts the starting value back. */
  private endDrag(commit: boolean): void {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    drag.bar.track.classList.remove('dragging');
    drag.bar.guide.hidden = true;
    if (drag.bar.track.hasPointerCapture(drag.pointerId)) drag.bar.track.releasePointerCapture(drag.pointerId);
    if (drag.moved) drag.edits.commit(commit ? drag.latest : drag.start);
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
    const step = { ArrowUp: 0.1, ArrowDown: -0.1, PageUp: 1, PageDown: -1 }[ev.key];
    if (step === undefined || !this.view?.logitsEditable || this.drag) return;
    ev.preventDefault();
    if (this.keyed?.bar !== bar) this.keyed = { bar, value: this.view.logits[bar.e]?.[bar.c] ?? 0, edits: new EditStream(this.path(bar)) };
    this.keyed.value = Number((this.keyed.value + step * (ev.shiftKey ? 10 : 1)).toFixed(2));
    this.keyed.edits.move(this.keyed.value);
  }

  /** Holding a key streams transient edits; letting go commits one undo step. */
  private onKeyUp(ev: KeyboardEvent, bar: Bar): void {
    if (!['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'].includes(ev.key) || this.keyed?.bar !== bar) return;
    this.keyed.edits.commit(this.keyed.value);
  }

  private focus(bar: Bar | undefined): void {
    if (!bar) return;
    for (const b of this.bars) b.track.setAttribute('tabindex', b === bar ? '0' : '-1');
    bar.track.focus();
  }
}

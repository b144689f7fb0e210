// Sliders that edit the scenario. The panel never changes its own numbers: it
// posts an edit (transient while dragging, at most one an animation frame;
// final on release) and waits for the host's re-run to arrive as events.
import type { JsonPath } from '../core/view';
import { holdOffscreen } from './charts/figure';
import { el } from './dom';
import { notify } from './vscodeApi';

/**
 * Calls `fn` once an animation frame with the latest value pushed since the
 * last call: a drag's pointer moves, however many the frame has, cost one call.
 */
export class FrameLatest<T> {
  private pending: { value: T } | null = null;
  private frame = 0;

  constructor(private readonly fn: (value: T) => void) {}

  push(value: T): void {
    this.pending = { value };
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Drops the value still waiting for its frame. */
  cancel(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = null;
  }

  private flush(): void {
    this.frame = 0;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.fn(pending.value);
  }
}

/**
 * One value's edits, a gesture at a time: transient edits while it moves, the
 * latest value once a frame (the host evaluates them without touching the
 * document, newest first), then one final edit (one undo step). A transient
 * edit still waiting for its frame is dropped on commit, so it can never land
 * after the final one.
 */
export class EditStream {
  private readonly transient = new FrameLatest((value: number) => notify('edit', { path: this.path(), value, transient: true }));
  /** `path` is read at send time: a cell that moves in the document keeps editing the right place. */
  constructor(private readonly path: () => JsonPath) {}

  move(value: number): void {
    holdOffscreen(true);
    this.transient.push(value);
  }

  commit(value: number): void {
    this.transient.cancel();
    holdOffscreen(false);
    notify('edit', { path: this.path(), value, transient: false });
  }
}

/** How long a committed value waits for the host's answer before the host's number wins again. */
const SETTLE_MS = 2000;

/**
 * What a knob shows: the host's value, except while the user's gesture is under
 * way, and after it until the host's re-run reports the committed value (late
 * re-runs of earlier drag positions must not pull the knob back).
 */
export class HeldValue {
  private held: number | null = null;
  private releasedAt = 0;

  get active(): boolean {
    return this.held !== null;
  }

  hold(value: number): void {
    this.held = value;
    this.releasedAt = 0;
  }

  release(): void {
    if (this.held !== null) this.releasedAt = performance.now();
  }

  shown(host: number): number {
    if (this.held === null) return host;
    if (this.releasedAt && (host === this.held || performance.now() - this.releasedAt > SETTLE_MS)) {
      this.held = null;
      return host;
    }
    return this.held;
  }
}

/** The keys a knob steps with, as multiples of its step: Shift or PageUp/PageDown for ten. */
export function keyStep(ev: KeyboardEvent, upKeys: string[], downKeys: string[]): number | null {
  const big = ev.shiftKey ? 10 : 1;
  if (upKeys.includes(ev.key)) return big;
  if (downKeys.includes(ev.key)) return -big;
  if (ev.key === 'PageUp') return 10;
  if (ev.key === 'PageDown') return -10;
  return null;
}

/** value + steps·step, on the step's grid (no 0.30000000000000004), within [min, max]. */
export function stepValue(value: number, steps: number, step: number, min: number, max: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const next = Number((Math.round((value + steps * step) / step) * step).toFixed(decimals));
  return Math.min(max, Math.max(min, next));
}

export interface SliderSpec {
  label: string;
  path: () => JsonPath;
  testId: string;
  /** Slider positions run 0..1000; these map them to the knob's values and back. */
  toValue: (position: number) => number;
  toPosition: (value: number) => number;
  format: (value: number) => string;
  /** Arrow keys step by this (Shift, PageUp/PageDown by ten times it). */
  step: number;
  min: number;
  max: number;
}

export const linearScale = (min: number, max: number) => ({
  min,
  max,
  toValue: (pos: number) => Number((min + ((max - min) * pos) / 1000).toFixed(3)),
  toPosition: (v: number) => ((v - min) / (max - min)) * 1000,
});

export const logScale = (min: number, max: number) => ({
  min,
  max,
  toValue: (pos: number) => Number((min * Math.pow(max / min, pos / 1000)).toPrecision(3)),
  toPosition: (v: number) => (Math.log(v / min) / Math.log(max / min)) * 1000,
});

const KEYS_UP = ['ArrowUp', 'ArrowRight'];
const KEYS_DOWN = ['ArrowDown', 'ArrowLeft'];

/**
 * A range input that edits one number of the scenario. The thumb follows the
 * pointer natively for the whole drag (the element is never re-created); the
 * arrow keys step by `spec.step` (handled here: the native step is one of 1000
 * positions); each drag, click or key press is one gesture.
 */
export class Slider {
  readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly output: HTMLOutputElement;
  private readonly edits: EditStream;
  private readonly hand = new HeldValue();
  /** Between the first input or key of a gesture and its commit. */
  private inGesture = false;
  private shownValue = NaN;

  constructor(private readonly spec: SliderSpec) {
    this.input = el('input', { type: 'range', min: 0, max: 1000, step: 1, 'aria-label': spec.label, 'data-testid': spec.testId });
    this.output = el('output', { class: 'knob-value' });
    this.edits = new EditStream(spec.path);
    this.input.addEventListener('input', () => {
      const value = spec.toValue(Number(this.input.value));
      this.inGesture = true;
      this.hand.hold(value);
      this.show(value, false);
      this.edits.move(value);
    });
    this.input.addEventListener('change', () => this.commit());
    this.input.addEventListener('keydown', (ev) => this.onKeyDown(ev));
    this.input.addEventListener('keyup', (ev) => {
      if (keyStep(ev, KEYS_UP, KEYS_DOWN) !== null || ev.key === 'Home' || ev.key === 'End') this.commit();
    });
    this.root = el('label', { class: 'knob' }, el('span', { class: 'knob-label' }, spec.label), this.input, this.output);
  }

  private onKeyDown(ev: KeyboardEvent): void {
    const { step, min, max } = this.spec;
    const steps = keyStep(ev, KEYS_UP, KEYS_DOWN);
    const from = Number.isFinite(this.shownValue) ? this.shownValue : min;
    const value = ev.key === 'Home' ? min : ev.key === 'End' ? max : steps === null ? null : stepValue(from, steps, step, min, max);
    if (value === null) return;
    ev.preventDefault(); // the native step is 1/1000 of the range
    this.inGesture = true;
    this.hand.hold(value);
    this.show(value, true);
    this.edits.move(value);
  }

  private commit(): void {
    if (!this.inGesture) return;
    this.inGesture = false;
    this.edits.commit(this.shownValue);
    this.hand.release();
  }

  /** The document's value; the user's own value wins while their gesture is under way or unanswered. */
  set(value: number): void {
    this.show(this.hand.shown(value), true);
  }

  private show(value: number, moveThumb: boolean): void {
    this.shownValue = value;
    if (moveThumb) this.input.value = String(Math.round(Math.min(1000, Math.max(0, this.spec.toPosition(value)))));
    this.output.textContent = this.spec.format(value);
    this.input.setAttribute('aria-valuetext', this.spec.format(value));
  }
}

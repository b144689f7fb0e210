// Sliders that edit the scenario. The panel never changes its own numbers: it
// posts an edit (transient while dragging, throttled; final on release) and
// waits for the host's re-run to arrive as events.
import type { JsonPath } from '../core/results';
import { el } from './dom';
import { post } from './vscodeApi';

/** At most ~15 transient edits a second: each one makes the host re-run the scenario. */
const TRANSIENT_EDIT_INTERVAL_MS = 67;

/** Leading and trailing throttle: the first and the last value of a burst always go out. */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let last = 0;
  let timer = 0;
  let pending: A | null = null;
  const call = (...args: A) => {
    pending = args;
    const wait = last + ms - performance.now();
    if (wait <= 0) {
      last = performance.now();
      fn(...args);
      pending = null;
    } else if (!timer) {
      timer = window.setTimeout(() => {
        timer = 0;
        last = performance.now();
        if (pending) fn(...pending);
        pending = null;
      }, wait);
    }
  };
  return Object.assign(call, {
    cancel: () => {
      window.clearTimeout(timer);
      timer = 0;
      pending = null;
    },
  });
}

/**
 * One gesture's edits of one value: throttled transient edits while it moves,
 * then one final edit (a single undo step). A transient edit still waiting in
 * the throttle is dropped on commit, so it can never land after the final one.
 */
export class EditStream {
  private readonly transient = throttle((value: number) => post({ type: 'edit', path: this.path, value, transient: true }), TRANSIENT_EDIT_INTERVAL_MS);
  constructor(private readonly path: JsonPath) {}

  move(value: number): void {
    this.transient(value);
  }

  commit(value: number): void {
    this.transient.cancel();
    post({ type: 'edit', path: this.path, value, transient: false });
  }
}

export interface SliderSpec {
  label: string;
  path: JsonPath;
  testId: string;
  /** Slider positions run 0..1000; these map them to the knob's values and back. */
  toValue: (position: number) => number;
  toPosition: (value: number) => number;
  format: (value: number) => string;
}

export const linearScale = (min: number, max: number) => ({
  toValue: (pos: number) => Number((min + ((max - min) * pos) / 1000).toFixed(3)),
  toPosition: (v: number) => ((v - min) / (max - min)) * 1000,
});

export const logScale = (min: number, max: number) => ({
  toValue: (pos: number) => Number((min * Math.pow(max / min, pos / 1000)).toPrecision(3)),
  toPosition: (v: number) => (Math.log(v / min) / Math.log(max / min)) * 1000,
});

export class Slider {
  readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly output: HTMLOutputElement;
  private dragging = false;

  constructor(private readonly spec: SliderSpec) {
    this.input = el('input', { type: 'range', min: 0, max: 1000, step: 1, 'aria-label': spec.label, 'data-testid': spec.testId });
    this.output = el('output', { class: 'knob-value' });
    const edits = new EditStream(spec.path);
    this.input.addEventListener('input', () => {
      this.dragging = true;
      const value = this.value();
      this.output.textContent = spec.format(value);
      this.input.setAttribute('aria-valuetext', spec.format(value));
      edits.move(value);
    });
    this.input.addEventListener('change', () => {
      this.dragging = false;
      edits.commit(this.value());
    });
    this.root = el('label', { class: 'knob' }, el('span', { class: 'knob-label' }, spec.label), this.input, this.output);
  }

  private value(): number {
    return this.spec.toValue(Number(this.input.value));
  }

  /** Shows the document's value, unless the user is mid-drag (their hand wins until release). */
  set(value: number): void {
    if (this.dragging) return;
    this.input.value = String(Math.round(Math.min(1000, Math.max(0, this.spec.toPosition(value)))));
    this.output.textContent = this.spec.format(value);
    this.input.setAttribute('aria-valuetext', this.spec.format(value));
  }
}

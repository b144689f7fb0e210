// The `ceLab.running` context key: true while a run of the active scenario is
// in flight, so the editor title shows Stop instead of Run. vscode-free (the
// setter is injected) so its transitions are unit-tested.

/**
 * Live edits start a run on every pause in typing, most over in milliseconds:
 * the key turns true only once a run has lasted this long, so the title bar
 * does not flicker between Run and Stop while typing.
 */
export const SHOW_STOP_AFTER_MS = 250;

export class RunningKey {
  private activeUri: string | null = null;
  private runningUri: string | null = null;
  /** The run in flight has lasted SHOW_STOP_AFTER_MS. */
  private long = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private value = false;

  constructor(
    private readonly set: (value: boolean) => void,
    private readonly delayMs = SHOW_STOP_AFTER_MS,
  ) {
    set(false);
  }

  /** The scenario in the active editor (null: none). */
  active(uri: string | null): void {
    this.activeUri = uri;
    this.update();
  }

  /** The document whose run is in flight (null: none). */
  running(uri: string | null): void {
    // A run superseding one of the same document (an edit during training) continues it, Stop stays.
    if (uri !== null && uri === this.runningUri) return;
    clearTimeout(this.timer);
    this.runningUri = uri;
    this.long = false;
    if (uri !== null) {
      this.timer = setTimeout(() => {
        this.long = true;
        this.update();
      }, this.delayMs);
    }
    this.update();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private update(): void {
    const value = this.long && this.runningUri !== null && this.runningUri === this.activeUri;
    if (value !== this.value) this.set((this.value = value));
  }
}

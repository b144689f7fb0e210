// Which runs are over, in memory the host and the worker share: the worker reads
// it synchronously between training steps and between events, so Stop and a
// newer edit take effect at once instead of when the worker's event loop next
// gets a turn. No Node built-ins: a Web Worker can share one the same way.

const LATEST = 0;
const CANCELLED = 1;

export class CancelFlags {
  private readonly view: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.view = new Int32Array(buffer);
  }

  /** The host started `runId` (ids only grow): every older run is superseded. */
  started(runId: number): void {
    Atomics.store(this.view, LATEST, runId);
  }

  /** The host stopped `runId`. */
  cancel(runId: number): void {
    Atomics.store(this.view, CANCELLED, runId);
  }

  isCancelled(runId: number): boolean {
    return Atomics.load(this.view, CANCELLED) === runId || Atomics.load(this.view, LATEST) > runId;
  }
}

// How many messages the host has posted, in memory the host and the worker
// share. The worker reads it synchronously between training steps and between
// events, and when a message waits (a Stop, a newer text) it lets its message
// queue in at once instead of after its usual stretch of work. No Node
// built-ins: a Web Worker could share one the same way.

export class Doorbell {
  private readonly view: Int32Array;
  /** Messages the worker has taken in (worker side only). */
  private heard = 0;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.view = new Int32Array(buffer);
  }

  /** Host: a message is on its way. */
  ring(): void {
    Atomics.add(this.view, 0, 1);
  }

  /** Worker: a message arrived. */
  answered(): void {
    this.heard++;
  }

  /** Worker: a message was posted that has not arrived yet. */
  get ringing(): boolean {
    return Atomics.load(this.view, 0) > this.heard;
  }
}

// The shared flags a worker polls between steps: Stop cancels one run, a newer run supersedes every older one.
import { describe, expect, it } from 'vitest';
import { CancelFlags } from '../../extension/worker/cancelFlags';

describe('CancelFlags', () => {
  it('a run is live until stopped or superseded', () => {
    const host = new CancelFlags();
    // The worker's view of the same memory, as a worker thread gets it through workerData.
    const worker = new CancelFlags(host.buffer);
    host.started(3);
    expect(worker.isCancelled(3)).toBe(false);
    host.cancel(3);
    expect(worker.isCancelled(3)).toBe(true);
    host.started(4);
    expect(worker.isCancelled(4)).toBe(false);
    host.started(5);
    expect(worker.isCancelled(4)).toBe(true);
    expect(worker.isCancelled(5)).toBe(false);
  });

  it('survives structured clone as shared memory, not a copy', () => {
    const host = new CancelFlags();
    const worker = new CancelFlags(structuredClone(host.buffer));
    host.cancel(7);
    expect(worker.isCancelled(7)).toBe(true);
  });
});

// The shared counter a worker polls between steps: a message posted and not yet taken in rings.
import { describe, expect, it } from 'vitest';
import { Doorbell } from '../../extension/worker/doorbell';

describe('Doorbell', () => {
  it('rings from a post until the worker has taken in as many messages', () => {
    const host = new Doorbell();
    // The worker's view of the same memory, as a worker thread gets it through workerData.
    const worker = new Doorbell(host.buffer);
    expect(worker.ringing).toBe(false);
    host.ring();
    host.ring();
    expect(worker.ringing).toBe(true);
    worker.answered();
    expect(worker.ringing).toBe(true);
    worker.answered();
    expect(worker.ringing).toBe(false);
  });

  it('survives structured clone as shared memory, not a copy', () => {
    const host = new Doorbell();
    const worker = new Doorbell(structuredClone(host.buffer));
    host.ring();
    expect(worker.ringing).toBe(true);
  });
});

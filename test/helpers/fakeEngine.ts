// An engine whose runs a test drives (extension/engineClient.ts's Engine): it
// records each run's request and callbacks, and the test says which events a run
// reports and how it ends.
import type { RowDetail } from '../../core/results';
import type { Engine, RunCallbacks, RunRequest } from '../../extension/engineClient';

export class FakeEngine implements Engine {
  runs: RunCallbacks[] = [];
  requests: RunRequest[] = [];
  texts: string[] = [];
  cancels = 0;
  evaluate(request: RunRequest, callbacks: RunCallbacks): number {
    this.runs.push(callbacks);
    this.requests.push(request);
    this.texts.push(request.text);
    return this.runs.length;
  }
  evaluateBeside(request: RunRequest, callbacks: RunCallbacks): number {
    return this.evaluate(request, callbacks);
  }
  cancel(): void {
    this.cancels++;
  }
  cancelInFlight(): void {}
  detail(): Promise<RowDetail> {
    return Promise.reject(new Error('no details here'));
  }
  setPaused(): void {}
  step(): void {}
}

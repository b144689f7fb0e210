// An Engine for tests of what the host does with one (runner, panel, context keys):
// it records the runs asked of it, and the test plays the worker's part.
import type { PanelEvent } from '../../core/events';
import type { RunEnd, RunRequest } from '../../core/protocol';
import type { Engine, EngineHost } from '../../extension/engineClient';

export class FakeEngine implements Engine {
  host!: EngineHost;
  readonly runs: {
    request: Omit<RunRequest, 'limits'>;
    /** The worker's events for this run's document. */
    events(events: PanelEvent[]): void;
    end(outcome?: RunEnd): void;
    fail(error: Error): void;
  }[] = [];
  stops = 0;

  /** The texts of the runs asked for, in order. */
  get texts(): string[] {
    return this.runs.map((r) => r.request.text);
  }

  connect(host: EngineHost): void {
    this.host = host;
  }
  run(request: Omit<RunRequest, 'limits'>): Promise<RunEnd> {
    return new Promise((resolve, reject) =>
      this.runs.push({ request, events: (events) => this.emit(request.uri, events), end: (outcome = 'finished') => resolve(outcome), fail: reject }),
    );
  }
  detail(): Promise<never> {
    return Promise.reject(new Error('no details here'));
  }
  exportResults(): Promise<never> {
    return Promise.reject(new Error('no exports here'));
  }
  stop(): void {
    this.stops++;
  }
  setPaused(): void {}
  step(): void {}
  forget(): void {}

  /** The worker's events for document `uri`. */
  emit(uri: string, events: PanelEvent[]): void {
    this.host.events(uri, events);
  }
}

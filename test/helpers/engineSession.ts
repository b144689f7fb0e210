// A host for a real EngineClient in tests (Node, or bundled into a browser page):
// each run is a fresh document whose events are kept, files come from the readers
// set on `files`, and what the client reports lost is kept too. No Node built-ins.
import type { PanelEvent } from '../../core/events';
import type { FileRange, JsonSyntaxError, RunEnd, RunRequest } from '../../core/protocol';
import type { EngineClient } from '../../extension/engineClient';

export interface SessionFiles {
  readFile?(path: string, maxBytes: number): Promise<Uint8Array>;
  readRange?(path: string, offset: number, length: number): Promise<FileRange>;
}

/** A run's end: how the worker answered, or the message it failed with. */
export type Ended = RunEnd | { failed: string };

export interface SessionRun {
  uri: string;
  events: PanelEvent[];
  ended: Promise<Ended>;
  /** Training steps reported so far. */
  steps(): number;
}

export class EngineSession {
  private readonly byUri = new Map<string, PanelEvent[]>();
  readonly syntax: JsonSyntaxError[] = [];
  readonly lost: string[] = [];
  files: SessionFiles = {};
  private runs = 0;

  constructor(readonly client: EngineClient) {
    client.connect({
      events: (uri, events) => this.eventsOf(uri).push(...events),
      syntax: (_uri, error) => this.syntax.push(error),
      readFile: (_uri, path, maxBytes) => this.files.readFile?.(path, maxBytes) ?? Promise.reject(new Error(`no file at "${path}"`)),
      readRange: (_uri, path, offset, length) => this.files.readRange?.(path, offset, length) ?? Promise.reject(new Error(`no file at "${path}"`)),
      lost: (message) => this.lost.push(message),
    });
  }

  /** Runs `text` as a new document (or `uri`'s next text). */
  run(text: string, request: Partial<Omit<RunRequest, 'text'>> = {}): SessionRun {
    const uri = request.uri ?? `file:///w/run-${++this.runs}.ce.json`;
    const events = this.eventsOf(uri);
    const ended = this.client.run({ progressIntervalMs: 20, ...request, uri, text }).then(
      (end): Ended => end,
      (err: unknown): Ended => ({ failed: err instanceof Error ? err.message : String(err) }),
    );
    const steps = () => events.reduce((n, e) => (e.kind === 'train-progress' ? Math.max(n, e.done) : n), 0);
    return { uri, events, ended, steps };
  }

  eventsOf(uri: string): PanelEvent[] {
    let events = this.byUri.get(uri);
    if (!events) this.byUri.set(uri, (events = []));
    return events;
  }
}

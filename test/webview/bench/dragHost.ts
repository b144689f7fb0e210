// The benchmark's host and engine for a drag, as the extension runs them: each
// transient edit re-runs the edited scenario (one run at a time, the newest
// value next: extension/panel/latestOnly.ts), and the runs' events go to the
// panel paced by what it has drawn (extension/panel/panelOutbox.ts), while
// the engine goes on with the next value.
import { evaluateScenario } from '../../../core/evaluate';
import type { PanelEvent } from '../../../core/events';
import { panelEvent } from '../../../core/panelResults';
import type { JsonPath } from '../../../core/results';
import { LatestOnly } from '../../../extension/panel/latestOnly';
import { PanelOutbox } from '../../../extension/panel/panelOutbox';

/** As extension/panel/visualizerPanel.ts paces the panel. */
const PANEL_INTERVAL_MS = 33;

export interface DragHost {
  /** The scenario's first run. */
  start(): Promise<void>;
  /** A transient edit from the panel. */
  edit(edit: { path: JsonPath; value: number }): void;
  /** Runs answered so far. */
  readonly runs: number;
}

export function dragHost(text: string, draw: (events: PanelEvent[]) => Promise<unknown>): DragHost {
  const queue = new LatestOnly();
  const outbox = new PanelOutbox(PANEL_INTERVAL_MS, draw);
  let runs = 0;
  const run = async (source: string) => {
    const events: PanelEvent[] = [];
    for await (const event of evaluateScenario(source, {})) events.push(panelEvent(event));
    // A run's end goes at once, behind the batch in flight.
    outbox.push(events, true);
    runs++;
  };
  return {
    start: async () => {
      await run(text);
      await outbox.drained();
    },
    edit: ({ path, value }) => void queue.push(() => run(edited(text, path, value))),
    get runs() {
      return runs;
    },
  };
}

/** `text` with the number at `path` set to `value`. */
function edited(text: string, path: JsonPath, value: number): string {
  const doc = JSON.parse(text) as Record<string | number, unknown>;
  let node = doc;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return JSON.stringify(doc);
}

// Every message between the extension host, the engine worker and the panel,
// typed once. Each direction is a discriminated union on `type`.
import type { EngineEvent } from './events';
import type { JsonPath } from './results';
import type { RunState } from './runState';

// ---- host -> worker -------------------------------------------------------
export interface EvaluateRequest {
  type: 'evaluate';
  runId: number;
  /** The scenario text as it is in the editor (saved or not). */
  text: string;
  /** Folder of the scenario file, for {"npy": ...} paths; null for an untitled file. */
  baseDir: string | null;
  /** Workspace folder that npy files must stay inside; null: the scenario's own folder. */
  workspaceRoot: string | null;
  /** Only this cell (and the cells it depends on). */
  cellId?: string;
  /** Milliseconds between training progress events. */
  progressIntervalMs?: number;
}
export type HostToWorker =
  | EvaluateRequest
  | { type: 'cancel'; runId: number }
  /** Hold training between steps (Pause), let it go on (Run), or let exactly one more step through (Step). */
  | { type: 'pause'; runId: number; paused: boolean }
  | { type: 'step'; runId: number };

// ---- worker -> host -------------------------------------------------------
export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'events'; runId: number; events: EngineEvent[] }
  | { type: 'finished'; runId: number }
  /** The engine threw (a bug, not a scenario error); the run is over. */
  | { type: 'error'; runId: number; message: string };

// ---- host -> panel --------------------------------------------------------
export interface PanelSettings {
  liveUpdate: boolean;
}
export type HostToPanel =
  /** The whole state, sent when the panel (re)appears and on each new run. */
  | { type: 'hydrate'; documentUri: string | null; fileName: string | null; state: RunState; settings: PanelSettings }
  /** Events since the last message, coalesced (at most ~30 messages a second). */
  | { type: 'events'; documentUri: string; events: EngineEvent[] }
  /** A line for the status strip: worker restarted, run stopped, ... */
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'selectCell'; cellId: string };

// ---- panel -> host --------------------------------------------------------
export type PanelToHost =
  | { type: 'ready' }
  /** Set a value in the scenario through an undoable edit; `transient` while dragging. */
  | { type: 'edit'; path: JsonPath; value: unknown; transient: boolean }
  | { type: 'run'; cellId?: string }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'reveal'; path: JsonPath }
  | { type: 'export'; format: 'png' | 'csv' | 'json'; suggestedName: string; data: string };

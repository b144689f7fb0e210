// Every message between the extension host, the engine worker and the panel,
// typed once. Each direction is a discriminated union on `type`.
import type { EngineEvent, PanelEvent } from './events';
import type { Limits } from './limits';
import type { JsonPath, RowDetail } from './results';
import type { PanelRunState } from './runState';

/** Where a scenario text stops being JSON (1-based line and column, as the editor shows them). */
export interface JsonSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

// ---- host -> worker -------------------------------------------------------
export interface EvaluateRequest {
  type: 'evaluate';
  runId: number;
  /** The scenario text as it is in the editor (saved or not). */
  text: string;
  /** Only this cell (and the cells it depends on). */
  cellId?: string;
  /** Leave these cells out. */
  skipCellIds?: string[];
  /**
   * Run alongside the run in flight instead of superseding it: the other cells of
   * a document whose training (left out here) goes on, unchanged, in that run.
   */
  beside?: boolean;
  /** Milliseconds between training progress events. */
  progressIntervalMs?: number;
  /** The ceLab.limits.* settings (defaults where absent). */
  limits?: Partial<Limits>;
  /** Where the scenario's files are on this machine's disk (desktop): a Node worker then reads them itself. */
  disk?: DiskFolder;
}

/** A saved scenario's folder and the workspace folder its files must stay in, as file system paths. */
export interface DiskFolder {
  folder: string;
  root: string | null;
}
export type HostToWorker =
  | EvaluateRequest
  | { type: 'cancel'; runId: number }
  /** Hold training between steps (Pause), let it go on (Run), or let exactly one more step through (Step). */
  | { type: 'pause'; runId: number; paused: boolean }
  | { type: 'step'; runId: number }
  /** The answer to a `readFile`: the file's bytes, or why it cannot be read. */
  | { type: 'file'; requestId: number; bytes: Uint8Array }
  | { type: 'file'; requestId: number; error: string }
  /** One element of a loss cell (`cellId` of the scenario `text`): answered with a `detail`, alongside any run. */
  | { type: 'detail'; runId: number; text: string; cellId: string; element: number; limits?: Partial<Limits>; disk?: DiskFolder }
  /** The answer to a `readRange`: the bytes, with the file's size and version (size and modification time) as read. */
  | { type: 'range'; requestId: number; bytes: Uint8Array; size: number; version: string }
  | { type: 'range'; requestId: number; error: string };

// ---- worker -> host -------------------------------------------------------
export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'events'; runId: number; events: EngineEvent[] }
  | { type: 'finished'; runId: number }
  /** The text is not JSON: nothing ran (the host keeps the last valid run's results). */
  | { type: 'syntax-error'; runId: number; error: JsonSyntaxError }
  /**
   * The engine needs a file a scenario names (`{"npy": "data/x.npy"}`, relative to
   * the scenario). The host reads it (Node fs or vscode.workspace.fs, inside the
   * workspace folder) so the same worker runs on desktop and on the web.
   */
  | {
      type: 'readFile';
      runId: number;
      requestId: number;
      path: string;
      /** Files over this size are refused before they are read. */ maxBytes: number;
    }
  /** `length` bytes from `offset` of a file a scenario names: how a logits file too large to hold whole is streamed. */
  | { type: 'readRange'; runId: number; requestId: number; path: string; offset: number; length: number }
  /** The answer to a `detail`. */
  | { type: 'detail'; runId: number; detail: RowDetail }
  | { type: 'detail'; runId: number; error: string }
  /** The engine threw (a bug, not a scenario error); the run is over. */
  | { type: 'error'; runId: number; message: string };

// ---- host -> panel --------------------------------------------------------
export interface PanelSettings {
  liveUpdate: boolean;
}
export type HostToPanel =
  /** The whole state, sent when the panel (re)appears and on each new run. */
  | {
      type: 'hydrate';
      documentUri: string | null;
      fileName: string | null;
      state: PanelRunState;
      settings: PanelSettings;
      /** The document does not parse now; `state` is from its last valid version. */
      syntaxError?: JsonSyntaxError | null;
    }
  /** The document stopped (error) or started again (null) to parse; results shown are from its last valid version meanwhile. */
  | { type: 'syntax'; documentUri: string; error: JsonSyntaxError | null }
  /** Events since the last message, coalesced (at most ~30 messages a second); the panel answers `drawn` with `seq` once drawn. */
  | { type: 'events'; documentUri: string; events: PanelEvent[]; seq: number }
  /** A line for the status strip: worker restarted, run stopped, ... */
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'selectCell'; cellId: string }
  /** The answer to a `rowDetail`. */
  | { type: 'rowDetail'; cellId: string; element: number; detail: RowDetail }
  | { type: 'rowDetail'; cellId: string; element: number; error: string };

// ---- panel -> host --------------------------------------------------------
export type PanelToHost =
  | { type: 'ready' }
  /** The panel drew the `events` message `seq`: the host sends the next one only then (extension/panel/panelOutbox.ts). */
  | { type: 'drawn'; seq: number }
  /**
   * Set a value in the scenario. `transient` (while dragging): the host evaluates
   * the edited text without touching the document; the final edit of a gesture is
   * applied as one undoable edit.
   */
  | { type: 'edit'; path: JsonPath; value: unknown; transient: boolean }
  | { type: 'run'; cellId?: string }
  /** Put the cell on the clipboard as a PyTorch script (the "Copy Cell as PyTorch" command). */
  | { type: 'copyAsPytorch'; cellId: string }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'reveal'; path: JsonPath }
  /** Ctrl+Z / Ctrl+Shift+Z with focus in the panel: undo or redo in the scenario's editor. */
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'export'; format: 'png' | 'csv' | 'json'; suggestedName: string; data: string }
  /** One element of a loss cell: its most probable classes and target, with P, log P and the gradient (a row clicked). */
  | { type: 'rowDetail'; cellId: string; element: number }
  /** Save a cell's whole result as `ce-lab run --json` writes it (the host holds the loss cells' N×C tensors). */
  | { type: 'exportCell'; cellId: string; suggestedName: string };

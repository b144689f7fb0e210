// Every message between the extension host, the engine worker and the panel,
// typed once. Each direction is a discriminated union on `type`.
import type { EngineEvent, PanelEvent } from './events';
import type { Limits } from './limits';
import type { JsonPath, RowDetail, RowsPage } from './results';
import type { PanelRunState } from './runState';

/** Where a scenario text stops being JSON (1-based line and column, as the editor shows them). */
export interface JsonSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

// ---- host <-> worker: one request/reply channel (core/channel.ts) ------------

/** Run a scenario document, or one cell of it (and the cells it depends on). */
export interface RunRequest {
  /** The document: the worker keeps each document's results and decides what a newer text re-runs (extension/worker/scheduler.ts). */
  uri: string;
  /** The scenario text as it is in the editor (saved or not). */
  text: string;
  cellId?: string;
  /** Milliseconds between training progress events. */
  progressIntervalMs?: number;
  /** The ceLab.limits.* settings (defaults where absent). */
  limits?: Partial<Limits>;
  /** Where the scenario's files are on this machine's disk (desktop): a Node worker then reads them itself. */
  disk?: DiskFolder;
}

/** How the work a `run` started ended: done, or replaced by a newer run (its events stop there). */
export type RunEnd = 'finished' | 'superseded';

/** A saved scenario's folder and the workspace folder its files must stay in, as file system paths. */
export interface DiskFolder {
  folder: string;
  root: string | null;
}

/** Bytes of a file, and the file's size and version (size and modification time) when they were read. */
export interface FileRange {
  bytes: Uint8Array;
  size: number;
  version: string;
}

/** What the engine worker answers and hears. */
export type WorkerApi = {
  requests: {
    /** Replies when the work it started is over. A training whose cell an edit left alone goes on beside the edit's run. */
    run(params: RunRequest): RunEnd;
    /** One element of a loss cell, alongside any run (a streamed cell's kept pass serves it). */
    detail(params: Omit<RunRequest, 'cellId' | 'progressIntervalMs'> & { cellId: string; element: number }): RowDetail;
    /**
     * A document's last results as `ce-lab run --json` writes them (one cell's, with `cellId`), from the
     * results the worker keeps. With `file` (a path, desktop) the worker writes it there itself and replies null.
     */
    exportResults(params: { uri: string; cellId?: string; file?: string }): Uint8Array | null;
    /** A page of a streamed loss cell's per-element facts, from the document's kept results. */
    rows(params: { uri: string; cellId: string; from: number; count: number }): RowsPage;
  };
  notices: {
    /** Stop every run; each says `done` (cancelled). */
    stop: null;
    /** Hold training between steps (Pause), let it go on (Run). */
    pause: { paused: boolean };
    /** Let exactly one more step through while paused. */
    step: null;
    /** The document was closed: its kept results go. */
    forget: { uri: string };
  };
};

/** What the host answers and hears from the worker. */
export type HostApi = {
  requests: {
    /**
     * The bytes of a file a scenario names (`{"npy": "data/x.npy"}`, relative to it), read by the host (Node fs
     * or vscode.workspace.fs, inside the workspace folder) so the same worker runs on desktop and on the web.
     * Files over `maxBytes` are refused before they are read.
     */
    readFile(params: { uri: string; path: string; maxBytes: number }): Uint8Array;
    /** `length` bytes from `offset` of such a file: how a logits file too large to hold whole is streamed. */
    readRange(params: { uri: string; path: string; offset: number; length: number }): FileRange;
  };
  notices: {
    /** A document's run went on: its events, without the loss cells' N×C tensors (they stay in the worker). */
    events: { uri: string; events: PanelEvent[] };
    /** The text is not JSON: nothing ran (the host keeps the last valid run's results). */
    syntax: { uri: string; error: JsonSyntaxError };
  };
};

// ---- host <-> panel: the same channel over the webview's postMessage -------------

export interface PanelSettings {
  liveUpdate: boolean;
}

/** The whole state, sent when the panel (re)appears and on each new run. */
export interface Hydrate {
  documentUri: string | null;
  fileName: string | null;
  state: PanelRunState;
  settings: PanelSettings;
  /** The document does not parse now; `state` is from its last valid version. */
  syntaxError?: JsonSyntaxError | null;
}

/** What the panel answers and hears. */
export type PanelApi = {
  requests: {
    /**
     * A document's events since the last batch, coalesced (at most ~30 batches a second). The panel replies
     * once it has drawn them, and the host sends the next batch only then (extension/panel/panelOutbox.ts).
     */
    draw(params: { documentUri: string; events: PanelEvent[] }): null;
    /**
     * After an undo or redo the panel asked for, once VS Code was asked to focus it: the panel takes the keyboard
     * back (with the element that had it) and replies whether its page has focus (extension/panel/refocus.ts).
     */
    focus(params: Empty): boolean;
  };
  notices: {
    hydrate: Hydrate;
    /** The document stopped (error) or started again (null) to parse; results shown are from its last valid version meanwhile. */
    syntax: { documentUri: string; error: JsonSyntaxError | null };
    /** A line for the status strip: worker restarted, run stopped, ... */
    notice: { level: 'info' | 'warning' | 'error'; message: string };
    selectCell: { cellId: string };
  };
};

/** What the host answers and hears from the panel. */
export type PanelHostApi = {
  requests: {
    /** One element of a loss cell: its most probable classes and target, with P, log P and the gradient (a row clicked). */
    rowDetail(params: { cellId: string; element: number }): RowDetail;
    /** A page of a streamed loss cell's per-element facts. */
    rows(params: { cellId: string; from: number; count: number }): RowsPage;
  };
  notices: {
    /** The panel (re)loaded: the host answers with a hydrate. */
    ready: Empty;
    /**
     * Set a value in the scenario. `transient` (while dragging): the host evaluates the edited text without
     * touching the document; the final edit of a gesture is applied as one undoable edit.
     */
    edit: { path: JsonPath; value: unknown; transient: boolean };
    run: { cellId?: string };
    /** Put the cell on the clipboard as a PyTorch script (the "Copy Cell as PyTorch" command). */
    copyAsPytorch: { cellId: string };
    stop: Empty;
    pause: Empty;
    resume: Empty;
    step: Empty;
    reveal: { path: JsonPath };
    /** Ctrl+Z / Ctrl+Shift+Z with focus in the panel: undo or redo in the scenario's editor. */
    undo: Empty;
    redo: Empty;
    export: { format: 'png' | 'csv' | 'json'; suggestedName: string; data: string };
    /** Save a cell's whole result as `ce-lab run --json` writes it (the engine worker keeps the N×C tensors and writes it). */
    exportCell: { cellId: string; suggestedName: string };
  };
};

/** The params of a notice that has none. */
export type Empty = Record<string, never>;

// ---- the CLI's main thread <-> its engine thread (node/cli.ts, node/cliWorker.ts) ----

/** One piece of the CLI's output, made in the engine thread. */
export type CliOutputMessage =
  | { type: 'event'; event: Exclude<EngineEvent, { kind: 'cell-result' | 'cell-failed' | 'sweep-point' | 'train-progress' }> }
  /**
   * A finished cell, rendered there: a large result crosses to the main thread as strings of about 64 K
   * characters (`piece`s, then its last piece in `cell`), never as one string or as a copy of its arrays.
   */
  | { type: 'piece'; text: string }
  | { type: 'cell'; index: number; ok: boolean; rendered: string }
  /** A line for stderr (files written). */
  | { type: 'note'; text: string };

/** What the CLI's main thread answers and hears from its engine thread (which gets its run as workerData). */
export type CliMainApi = {
  requests: {
    /** Writes one piece of output; replied once written (the engine thread waits while too many are unwritten). */
    write(params: CliOutputMessage): null;
  };
  notices: {
    /** The engine threw (a bug): the run is over. */
    crash: { message: string };
  };
};

/** The engine thread answers nothing: it runs what its workerData says. */
export type CliEngineApi = { requests: Record<never, never>; notices: Record<never, never> };

// The one handle on the host: the request/reply channel over its postMessage
// (typed by PanelApi and PanelHostApi), and persisted UI state. The panel's host
// is its webview API (panelHost.ts sets it before anything reads state); a
// notebook renderer's is its context (webview/notebook/renderer.ts). Until one
// is set, messages go nowhere and state lives in memory.
import { Channel, type Handlers, type Params, type Result, type Wire } from '../core/channel';
import type { PanelApi, PanelHostApi } from '../core/protocol';

export interface VsCodeApi {
  postMessage(message: Wire): void;
  getState(): unknown;
  setState(state: unknown): void;
}

function memoryHost(): VsCodeApi {
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => void (state = s) };
}

let api: VsCodeApi = memoryHost();
let channel: Channel<PanelApi, PanelHostApi> | null = null;

export function useHost(host: VsCodeApi): void {
  api = host;
}

/**
 * Starts taking the host's messages (`listen` hands each one over), answered by `handlers` (once, at startup).
 * The panel listens to its window's messages; a renderer to its context's.
 */
export function connectHost(handlers: Handlers<PanelApi>, listen: (receive: (wire: Wire) => void) => void): void {
  const connected = new Channel<PanelApi, PanelHostApi>((wire) => api.postMessage(wire), handlers);
  channel = connected;
  listen((wire) => connected.receive(wire));
}

function connected(): Channel<PanelApi, PanelHostApi> {
  if (!channel) throw new Error('the view is not connected to its host yet');
  return channel;
}

/** Tells the host something (an edit, Run, Stop, ...). */
export function notify<M extends keyof PanelHostApi['notices'] & string>(method: M, params: PanelHostApi['notices'][M]): void {
  connected().notify(method, params);
}

/** Asks the host; resolves with its answer. */
export function request<M extends keyof PanelHostApi['requests'] & string>(
  method: M,
  params: Params<PanelHostApi, M>,
): Promise<Result<PanelHostApi, M>> {
  return connected().request(method, params);
}

export function loadPersisted(): unknown {
  return api.getState();
}

export function savePersisted(state: unknown): void {
  api.setState(state);
}

// The one handle on the host: the request/reply channel over the webview's
// postMessage (typed by PanelApi and PanelHostApi), and persisted UI state.
import { Channel, type Handlers, type Params, type Result, type Wire } from '../core/channel';
import type { PanelApi, PanelHostApi } from '../core/protocol';

interface VsCodeApi {
  postMessage(message: Wire): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
let channel: Channel<PanelApi, PanelHostApi> | null = null;

/** Starts taking the host's messages, answered by `handlers` (once, at startup). */
export function connectHost(handlers: Handlers<PanelApi>): void {
  const connected = new Channel<PanelApi, PanelHostApi>((wire) => api.postMessage(wire), handlers);
  channel = connected;
  window.addEventListener('message', (event: MessageEvent<Wire>) => connected.receive(event.data));
}

function connected(): Channel<PanelApi, PanelHostApi> {
  if (!channel) throw new Error('the panel is not connected to its host yet');
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

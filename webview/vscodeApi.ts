// The one handle on the host: typed messages out, persisted UI state. The
// panel's host is its webview API (panelHost.ts sets it before anything reads
// state); a notebook renderer's is its context (webview/notebook/renderer.ts).
// Until one is set, messages go nowhere and state lives in memory.
import type { PanelToHost } from '../core/protocol';

export interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

function memoryHost(): VsCodeApi {
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => void (state = s) };
}

let api: VsCodeApi = memoryHost();

export function useHost(host: VsCodeApi): void {
  api = host;
}

export function post(message: PanelToHost): void {
  api.postMessage(message);
}

export function loadPersisted(): unknown {
  return api.getState();
}

export function savePersisted(state: unknown): void {
  api.setState(state);
}

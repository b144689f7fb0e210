// The one handle on the host: typed messages out, persisted UI state.
import type { PanelToHost } from '../core/protocol';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: PanelToHost): void {
  api.postMessage(message);
}

export function loadPersisted(): unknown {
  return api.getState();
}

export function savePersisted(state: unknown): void {
  api.setState(state);
}

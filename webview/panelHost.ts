// The panel's host: its webview API. main.ts imports this first, so the UI
// state (state.ts) is read from VS Code's saved state when it initialises.
import { useHost, type VsCodeApi } from './vscodeApi';

declare function acquireVsCodeApi(): VsCodeApi;

useHost(acquireVsCodeApi());

// The engine worker's link to the host in a browser Web Worker (vscode.dev,
// github.dev, code-server): the twin of workerPort.ts.
import type { Wire } from '../../core/channel';

/** The few Web Worker globals used here (the project's TS lib has no WebWorker types). */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: Wire }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

export function send(wire: Wire): void {
  scope.postMessage(wire);
}

export function onHostMessage(listener: (wire: Wire) => void): void {
  scope.addEventListener('message', (event) => listener(event.data));
}

// setTimeout(0) is clamped to 4 ms once nested; a MessageChannel round trip is not.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Lets queued host messages (Stop, a newer text) in before the engine goes on. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/**
 * None on the web: sharing memory with a Web Worker needs a cross-origin-isolated
 * page, which VS Code for the Web is not by default. The engine lets its messages
 * (Stop, newer texts) in every few milliseconds instead (yieldToMessages).
 */
export function sharedDoorbell(): SharedArrayBuffer | undefined {
  return undefined;
}

/** No disk here: the host writes the export's bytes itself. */
export async function writeFileBytes(): Promise<boolean> {
  return false;
}

/** No disk on the web: a scenario's files come through the host (the twin reads them itself on desktop). */
export function diskFiles(): null {
  return null;
}

/** A Web Worker is never a helper thread. */
export function startedAsHelper(): boolean {
  return false;
}

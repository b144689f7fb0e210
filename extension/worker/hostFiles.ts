// Worker side of file reading: the engine's loader posts `readFile` and waits
// for the host's `file` answer. The worker itself never touches a file system,
// so it is the same on desktop (Node fs) and on the web (vscode.workspace.fs).
import type { HostToWorker, WorkerToHost } from '../../core/protocol';
import type { FileLoader } from '../../core/scenario/tensorValue';

type FileAnswer = Extract<HostToWorker, { type: 'file' }>;

export class HostFiles {
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(error: Error): void }>();

  constructor(private readonly send: (message: WorkerToHost) => void) {}

  /** The engine's `loadNpy` for one run. */
  loader(runId: number): FileLoader {
    return (relativePath, _jsonPath, maxBytes) =>
      new Promise((resolve, reject) => {
        const requestId = this.nextRequestId++;
        this.pending.set(requestId, { resolve, reject });
        this.send({ type: 'readFile', runId, requestId, path: relativePath, maxBytes });
      });
  }

  answer(message: FileAnswer): void {
    const request = this.pending.get(message.requestId);
    if (!request) return;
    this.pending.delete(message.requestId);
    if ('error' in message) request.reject(new Error(message.error));
    else request.resolve(message.bytes);
  }
}

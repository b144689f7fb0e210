// Worker side of file reading: the engine's loader posts `readFile` (a whole
// file) or `readRange` (a piece of one it streams) and waits for the host's
// answer. The worker itself never touches a file system, so it is the same on
// desktop (Node fs) and on the web (vscode.workspace.fs).
import { FileChangedError, type RangeFile, type RangeFileOpener } from '../../core/files/rangeFile';
import type { HostToWorker, WorkerToHost } from '../../core/protocol';
import type { FileLoader } from '../../core/scenario/tensorValue';

type FileAnswer = Extract<HostToWorker, { type: 'file' | 'range' }>;
type RangeAnswer = { bytes: Uint8Array; size: number; version: string };

export class HostFiles {
  private nextRequestId = 1;
  private readonly pending = new Map<number, (answer: FileAnswer) => void>();

  constructor(private readonly send: (message: WorkerToHost) => void) {}

  private request(message: (requestId: number) => WorkerToHost): Promise<FileAnswer> {
    return new Promise((resolve) => {
      const requestId = this.nextRequestId++;
      this.pending.set(requestId, resolve);
      this.send(message(requestId));
    });
  }

  /** The engine's `loadNpy` for one run. */
  loader(runId: number): FileLoader {
    return async (relativePath, _jsonPath, maxBytes) => {
      const answer = await this.request((requestId) => ({ type: 'readFile', runId, requestId, path: relativePath, maxBytes }));
      if ('error' in answer) throw new Error(answer.error);
      return answer.bytes;
    };
  }

  private async range(runId: number, path: string, offset: number, length: number): Promise<RangeAnswer> {
    const answer = await this.request((requestId) => ({ type: 'readRange', runId, requestId, path, offset, length }));
    if ('error' in answer) throw new Error(answer.error);
    if (answer.type !== 'range') throw new Error(`expected a range of ${path}`);
    return answer;
  }

  /** The engine's `openFile` for one run: each range is read by the host, and must come from the version opened. */
  opener(runId: number): RangeFileOpener {
    return async (relativePath): Promise<RangeFile> => {
      const { size, version } = await this.range(runId, relativePath, 0, 0);
      return {
        name: relativePath,
        size,
        version,
        read: async (offset, length) => {
          const answer = await this.range(runId, relativePath, offset, length);
          if (answer.version !== version) throw new FileChangedError(relativePath);
          return answer.bytes;
        },
        close: async () => {},
      };
    };
  }

  answer(message: FileAnswer): void {
    const request = this.pending.get(message.requestId);
    if (!request) return;
    this.pending.delete(message.requestId);
    request(message);
  }
}

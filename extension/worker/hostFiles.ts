// Worker side of file reading: the engine's loader asks the host for a whole
// file (`readFile`) or a piece of one it streams (`readRange`). The worker
// itself never touches a file system here, so it is the same on desktop
// (Node fs) and on the web (vscode.workspace.fs).
import type { Channel } from '../../core/channel';
import { FileChangedError, type RangeFile, type RangeFileOpener } from '../../core/files/rangeFile';
import type { HostApi, WorkerApi } from '../../core/protocol';
import type { FileLoader } from '../../core/scenario/tensorValue';

export class HostFiles {
  constructor(private readonly channel: Channel<WorkerApi, HostApi>) {}

  /** The engine's `loadNpy` for document `uri`. */
  loader(uri: string): FileLoader {
    return (path, _jsonPath, maxBytes) => this.channel.request('readFile', { uri, path, maxBytes });
  }

  /** The engine's `openFile` for document `uri`: each range is read by the host, and must come from the version opened. */
  opener(uri: string): RangeFileOpener {
    return async (path): Promise<RangeFile> => {
      const { size, version } = await this.channel.request('readRange', { uri, path, offset: 0, length: 0 });
      return {
        name: path,
        size,
        version,
        read: async (offset, length) => {
          const answer = await this.channel.request('readRange', { uri, path, offset, length });
          if (answer.version !== version) throw new FileChangedError(path);
          return answer.bytes;
        },
        close: async () => {},
      };
    };
  }
}

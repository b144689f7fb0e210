// Starts the engine as a browser Web Worker from its bundled source (a blob URL:
// on the web the extension's own files may live on a remote or virtual file
// system that `new Worker(url)` cannot load), and turns its errors into the one
// `died` the EngineClient understands, as spawnWorker.ts does for Node.
import type { Wire } from '../../core/channel';
import type { SpawnWorker } from '../engineClient';

export function webWorkerSpawner(source: string): SpawnWorker {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return (listeners) => {
    const worker = new Worker(url, { name: 'CE Lab engine' });
    worker.addEventListener('message', (event: MessageEvent<Wire>) => listeners.message(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      listeners.died(event.message || 'the worker failed to start');
    });
    worker.addEventListener('messageerror', () => listeners.died('a message from the worker could not be read'));
    return {
      post: (message) => worker.postMessage(message),
      terminate: () => worker.terminate(),
    };
  };
}

// The fuzzer's engine thread: evaluates each scenario it is sent and answers with
// the CLI document and every message a person would read. It runs in a worker
// with a heap limit, so a run that needs too much memory ends this thread, not the fuzzer.
import { parentPort } from 'node:worker_threads';
import { stringifyStrict, toCliDocument } from '../../core/cliDocument';
import { evaluateScenario } from '../../core/evaluate';
import { applyEvent, emptyRunState } from '../../core/runState';

export interface ProbeRequest {
  text: string;
  /** Files the scenario may read, sent with the first request to a fresh worker. */
  files?: Record<string, Uint8Array>;
  /** The work limit; 1e9 unless a test needs a run that outlasts the watchdog. */
  maxWork?: number;
}
export interface ProbeAnswer {
  /** The --json document, or the file error. */
  document: string;
  /** Every error and warning message of the run. */
  messages: string[];
}

const port = parentPort;
if (!port) throw new Error('probeWorker must run in a worker thread');
const files = new Map<string, Uint8Array>();

port.on('message', async (request: ProbeRequest) => {
  for (const [name, bytes] of Object.entries(request.files ?? {})) files.set(name, bytes);
  const state = emptyRunState();
  const loadNpy = async (relativePath: string) => {
    const bytes = files.get(relativePath);
    if (!bytes) throw new Error(`no file at "${relativePath}"`);
    return bytes;
  };
  // Work held to 1e9 multiply-adds (about half a second of training): a legitimately long training is not what
  // the fuzzer looks for, and the default work limit (1e11) would let one outlast the watchdog.
  const limits = { maxWork: request.maxWork ?? 1e9 };
  for await (const event of evaluateScenario(request.text, { loadNpy, progressIntervalMs: 1e9, limits })) applyEvent(state, event);
  const messages: string[] = [];
  if (state.fileError) messages.push(state.fileError.message);
  for (const cell of state.cells) {
    const result = cell.result;
    if (!result) continue;
    if (!result.ok) messages.push(result.error.message);
    else if ('warnings' in result) for (const w of result.warnings) messages.push(w.message);
  }
  const document = state.fileError ? `file-error ${JSON.stringify(state.fileError)}` : stringifyStrict(toCliDocument(state));
  const answer: ProbeAnswer = { document, messages };
  port.postMessage(answer);
});

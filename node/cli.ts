// ce-lab run FILE.ce.json [--json] [--cell ID] [--timeout S] [--max-memory-mb MB] [--max-... N]
// ce-lab torch FILE.ce.json [--cell ID]: the cells as a PyTorch script, on stdout.
// Exit status: 0 every cell ok, 1 some cell failed, 2 the file cannot be read or is not a scenario.
// The engine runs in a worker thread with a heap limit: running out of memory or
// time fails the cell that was running, never the process.
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { assertNever } from '../core/assertNever';
import { formatCount, resolveLimits } from '../core/limits';
import type { CellFailure, CellHeader } from '../core/results';
import { torchScript, type TorchScript } from '../core/pytorch/torchScript';
import type { FileLoader } from '../core/scenario/tensorValue';
import { describePath, ScenarioError } from '../core/scenario/problems';
import { writeFileAtomically } from './atomicWrite';
import { FileReadError, readBoundedRegularFile } from './boundedFile';
import { HELP, parseArgs, USAGE, UsageError, type Args } from './cliArgs';
import { CliOutput, renderedText } from './cliOutput';
import { runCliWorker, type CliWorkerData } from './cliWorker';
import { Channel, type Wire } from '../core/channel';
import type { CliEngineApi, CliMainApi, CliOutputMessage } from '../core/protocol';
import { isHelperThread, runStreamHelper } from './streamHelper';
import { makeNpyLoader } from './npyFiles';
import { printable } from './terminalText';
import { decodeUtf8 } from './utf8';
import { messageOf } from '../core/errorMessage';

/** Finds the folder .npy files must stay in: the nearest ancestor holding .git, package.json or .vscode, else the scenario's folder. */
async function workspaceRootOf(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    for (const marker of ['.git', 'package.json', '.vscode']) {
      if (
        await access(path.join(d, marker)).then(
          () => true,
          () => false,
        )
      )
        return d;
    }
    if (path.dirname(d) === d) return dir;
  }
}

const fail = (message: string): number => {
  process.stderr.write(`ce-lab: ${printable(message)}\n`);
  return 2;
};

/** Prints the PyTorch script; the values it loads from generated .npy files are written next to the scenario. */
async function printTorchScript(args: Args, text: string, baseDir: string, loadFile: FileLoader): Promise<number> {
  let result: TorchScript;
  try {
    result = await torchScript(text, {
      loadFile,
      scenarioDir: baseDir,
      fileStem: path.basename(args.file).replace(/\.ce\.json$|\.json$/, ''),
      cellId: args.cellId,
      limits: args.limits,
    });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const where = error.path.length ? ` (at ${describePath(error.path)})` : '';
    return fail(`${args.file}: ${error.message}${where}`);
  }
  for (const side of result.files) {
    await writeFileAtomically(path.join(baseDir, side.name), side.bytes);
    process.stderr.write(`ce-lab: wrote ${path.join(path.dirname(args.file), side.name)} (values the script loads)\n`);
  }
  for (const problem of result.problems)
    process.stderr.write(`ce-lab: ${printable(`cell ${JSON.stringify(problem.id)}: ${problem.message} (at ${describePath(problem.path)})`)}\n`);
  process.stdout.write(result.script);
  return result.problems.length ? 1 : 0;
}

/** Runs the engine in a worker and streams what it reports; resolves with the exit status. */
function runInWorker(args: Args, data: CliWorkerData): Promise<number> {
  const output = new CliOutput(args.json);
  return new Promise((resolve) => {
    const worker = new Worker(__filename, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: args.maxMemoryMb } });
    let headers: CellHeader[] | null = null;
    let running: CellHeader | null = null;
    let cellStart = 0;
    let lastProgress = 0;
    let failed = false;
    let finished = false;
    /** Pieces of a cell are being written: the document is valid again only after its last one. */
    let inCell = false;
    /** Why the run stops once the cell being written is complete (a timeout while it was written). */
    let stopAfterCell: string | null = null;
    let queue = Promise.resolve();
    const timer =
      args.timeoutSeconds > 0
        ? setTimeout(() => stopped(`did not finish within ${args.timeoutSeconds} s (--timeout); it was stopped`, true), args.timeoutSeconds * 1000)
        : undefined;

    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(code);
    };
    const handle = async (event: Extract<CliOutputMessage, { type: 'event' }>['event']) => {
      switch (event.kind) {
        case 'file-error': {
          const where = event.error.path.length ? ` (at ${describePath(event.error.path)})` : '';
          return finish(fail(`${args.file}: ${event.error.message}${where}`));
        }
        case 'scenario':
          headers = event.cells;
          return output.begin(event.title, event.dtype, event.kernels);
        case 'cell-started':
          running = headers?.[event.index] ?? null;
          cellStart = Date.now();
          lastProgress = 0;
          return;
        case 'cell-detail': // the CLI asks for none
          return;
        case 'cell-progress':
          // Only for a cell that has taken a second already, and once a second.
          if (Date.now() - cellStart < 1000 || Date.now() - lastProgress < 1000) return;
          lastProgress = Date.now();
          process.stderr.write(
            `ce-lab: ${printable(`cell ${JSON.stringify(event.id)}: ${formatCount(event.done)} of ${formatCount(event.total)} elements (${Math.floor((100 * event.done) / event.total)}%)`)}\n`,
          );
          return;
        case 'done':
          await output.end();
          return finish(failed ? 1 : 0);
        default:
          assertNever(event, 'engine event');
      }
    };
    /**
     * The worker is gone (or stopped) before `done`: the running cell fails with `reason`, the rest do not run.
     * A cell whose pieces are being written is finished first while the worker lives; a dead worker cuts it short.
     */
    const stopped = (reason: string, workerAlive = false) => {
      queue = queue.then(async () => {
        if (finished) return;
        if (inCell) {
          if (workerAlive) return void (stopAfterCell = reason);
          process.stderr.write(`ce-lab: ${printable(`${args.file}: the engine ${reason} while writing a cell; the output is cut short`)}\n`);
          return finish(1);
        }
        if (!headers) return finish(fail(`${args.file}: reading the scenario ${reason}`));
        if (running) {
          const { index, id, type, title } = running;
          const result: CellFailure = {
            id,
            type,
            ok: false,
            ...(title === undefined ? {} : { title }),
            error: { message: `This cell ${reason}.`, path: ['cells', index] },
          };
          await output.cell(renderedText(result, args.json));
          process.stderr.write(`ce-lab: ${printable(`${args.file}: cell ${JSON.stringify(id)} ${reason}; the cells after it did not run`)}\n`);
        }
        await output.end();
        finish(1);
      });
    };

    /** Writes one piece of output, in order; a cell complete while the run is stopping ends the run. */
    const write = async (message: CliOutputMessage): Promise<void> => {
      if (finished) return;
      if (message.type === 'note') return void process.stderr.write(`ce-lab: ${printable(message.text)}\n`);
      if (message.type === 'piece') {
        await (inCell ? output.more(message.text) : output.cell(message.text));
        inCell = true;
      } else if (message.type === 'cell') {
        await (inCell ? output.more(message.rendered) : output.cell(message.rendered));
        inCell = false;
        running = null;
        failed ||= !message.ok;
        if (stopAfterCell !== null) {
          process.stderr.write(
            `ce-lab: ${printable(`${args.file}: the run ${stopAfterCell} after cell ${message.index}; the cells after it did not run`)}\n`,
          );
          await output.end();
          return finish(1);
        }
      } else await handle(message.event);
    };
    const channel = new Channel<CliMainApi, CliEngineApi>((wire) => void (finished || worker.postMessage(wire)), {
      requests: {
        write: (message) => (queue = queue.then(() => write(message))).then(() => null),
      },
      notices: {
        crash: ({ message }) => void (queue = queue.then(() => void (finished || finish(fail(`internal error (please report it): ${message}`))))),
      },
    });
    worker.on('message', (wire: Wire) => channel.receive(wire));
    worker.on('error', (error: Error & { code?: string }) => {
      stopped(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `ran out of memory (the engine may use ${args.maxMemoryMb} MB: raise it with --max-memory-mb, or make the cell smaller)`
          : `hit an internal error (please report it): ${error.message}`,
      );
    });
    worker.on('exit', (code) => stopped(`ended the engine unexpectedly (exit code ${code})`));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  const limits = resolveLimits(args.limits);
  const file = path.resolve(args.file);
  let text: string;
  try {
    text = decodeUtf8(await readBoundedRegularFile(file, limits.maxFileBytes));
  } catch (error) {
    const reason = error instanceof FileReadError ? `cannot read ${args.file}: ${error.message}` : `${args.file}: ${messageOf(error)}`;
    return fail(reason);
  }
  const baseDir = path.dirname(file);
  const workspaceRoot = await workspaceRootOf(baseDir);
  if (args.command === 'torch') return printTorchScript(args, text, baseDir, makeNpyLoader(baseDir, workspaceRoot));
  return runInWorker(args, {
    text,
    json: args.json,
    cellId: args.cellId,
    defaultTitle: path.basename(file).replace(/\.ce\.json$/, ''),
    limits: args.limits,
    baseDir,
    workspaceRoot,
    ...(args.tensorsDir ? { tensorsDir: path.resolve(args.tensorsDir) } : {}),
  });
}

/** A reader that stops reading (`ce-lab run … | head`) ends the output, as with any Unix tool. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

if (isMainThread) {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.exitCode = fail(error instanceof UsageError ? error.message : `internal error (please report it): ${messageOf(error)}`);
      if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    },
  );
} else if (isHelperThread()) {
  runStreamHelper();
} else {
  void runCliWorker();
}

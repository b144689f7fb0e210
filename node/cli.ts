// ce-lab run FILE.ce.json [--json] [--cell ID]
// Exit status: 0 every cell ok, 1 some cell failed, 2 the file cannot be read or is not a scenario.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { stringifyStrict, toCliDocument } from '../core/cliDocument';
import { evaluateScenario } from '../core/evaluate';
import { applyEvent, emptyRunState } from '../core/runState';
import { describePath } from '../core/scenario/problems';
import { makeNpyLoader } from './npyFiles';
import { summary } from './summary';

const USAGE = 'usage: ce-lab run FILE.ce.json [--json] [--cell ID]';

class UsageError extends Error {}

interface Args {
  file: string;
  json: boolean;
  cellId?: string;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  let file: string | undefined;
  let json = false;
  let cellId: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') json = true;
    else if (arg === '--cell') {
      cellId = rest[++i];
      if (cellId === undefined) throw new UsageError('--cell needs a cell id');
    } else if (arg.startsWith('--cell=')) cellId = arg.slice('--cell='.length);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (file === undefined) throw new UsageError('no scenario file given');
  return { file, json, cellId };
}

/** Finds the folder .npy files must stay in: the nearest ancestor holding .git or package.json, else the scenario's folder. */
async function workspaceRootOf(dir: string): Promise<string> {
  const { access } = await import('node:fs/promises');
  for (let d = dir; ; d = path.dirname(d)) {
    for (const marker of ['.git', 'package.json', '.vscode']) {
      if (await access(path.join(d, marker)).then(() => true, () => false)) return d;
    }
    if (path.dirname(d) === d) return dir;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  const file = path.resolve(args.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`ce-lab: cannot read ${args.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}\n`);
    return 2;
  }
  const baseDir = path.dirname(file);
  const state = emptyRunState();
  const events = evaluateScenario(text, {
    cellId: args.cellId,
    defaultTitle: path.basename(file).replace(/\.ce\.json$/, ''),
    loadNpy: makeNpyLoader(baseDir, await workspaceRootOf(baseDir)),
    progressIntervalMs: 1000,
  });
  for await (const event of events) applyEvent(state, event);
  if (state.fileError) {
    const where = state.fileError.path.length ? ` (at ${describePath(state.fileError.path)})` : '';
    process.stderr.write(`ce-lab: ${args.file}: ${state.fileError.message}${where}\n`);
    return 2;
  }
  process.stdout.write(args.json ? `${stringifyStrict(toCliDocument(state))}\n` : summary(state));
  return state.cells.some((c) => c.result && !c.result.ok) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(error instanceof UsageError ? `ce-lab: ${error.message}\n${USAGE}\n` : `ce-lab: internal error: ${(error as Error).stack}\n`);
    process.exitCode = 2;
  },
);

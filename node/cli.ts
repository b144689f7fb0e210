// ce-lab run FILE.ce.json [--json] [--cell ID]
// ce-lab torch FILE.ce.json [--cell ID]: the cells as a PyTorch script, on stdout.
// Exit status: 0 every cell ok, 1 some cell failed, 2 the file cannot be read or is not a scenario.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { stringifyStrict, toCliDocument } from '../core/cliDocument';
import { evaluateScenario } from '../core/evaluate';
import { applyEvent, emptyRunState } from '../core/runState';
import { torchScript, type TorchScript } from '../core/pytorch/torchScript';
import { describePath, ScenarioError } from '../core/scenario/problems';
import { makeNpyLoader, type NpyLoader } from './npyFiles';
import { summary } from './summary';

const USAGE = 'usage: ce-lab run FILE.ce.json [--json] [--cell ID]  |  ce-lab torch FILE.ce.json [--cell ID]';

class UsageError extends Error {}

interface Args {
  command: 'run' | 'torch';
  file: string;
  json: boolean;
  cellId?: string;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'torch') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  let file: string | undefined;
  let json = false;
  let cellId: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json' && command === 'run') json = true;
    else if (arg === '--cell') {
      cellId = rest[++i];
      if (cellId === undefined) throw new UsageError('--cell needs a cell id');
    } else if (arg.startsWith('--cell=')) cellId = arg.slice('--cell='.length);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (file === undefined) throw new UsageError('no scenario file given');
  return { command, file, json, cellId };
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

/** Prints the PyTorch script; the values it loads from generated .npy files are written next to the scenario. */
async function printTorchScript(args: Args, text: string, baseDir: string, loadFile: NpyLoader): Promise<number> {
  let result: TorchScript;
  try {
    result = await torchScript(text, { loadFile, scenarioDir: baseDir, fileStem: path.basename(args.file).replace(/\.ce\.json$|\.json$/, ''), cellId: args.cellId });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const where = error.path.length ? ` (at ${describePath(error.path)})` : '';
    process.stderr.write(`ce-lab: ${args.file}: ${error.message}${where}\n`);
    return 2;
  }
  for (const side of result.files) {
    await writeFile(path.join(baseDir, side.name), side.bytes);
    process.stderr.write(`ce-lab: wrote ${path.join(path.dirname(args.file), side.name)} (values the script loads)\n`);
  }
  for (const problem of result.problems) process.stderr.write(`ce-lab: cell "${problem.id}": ${problem.message} (at ${describePath(problem.path)})\n`);
  process.stdout.write(result.script);
  return result.problems.length ? 1 : 0;
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
  const loadFile = makeNpyLoader(baseDir, await workspaceRootOf(baseDir));
  if (args.command === 'torch') return printTorchScript(args, text, baseDir, loadFile);
  const state = emptyRunState();
  const events = evaluateScenario(text, {
    cellId: args.cellId,
    defaultTitle: path.basename(file).replace(/\.ce\.json$/, ''),
    loadNpy: loadFile,
    progressIntervalMs: 1000, // the CLI prints only the end result: few progress events
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

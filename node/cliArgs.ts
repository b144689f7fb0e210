// The command line of `ce-lab run`: every argument is checked before any work starts.
import { LIMIT_INFO, LIMIT_NAMES, type LimitName, type Limits } from '../core/limits';

/** Default heap of the engine's worker: every run inside the default limits fits in it. */
export const DEFAULT_MAX_MEMORY_MB = 768;

export const USAGE =
  'usage: ce-lab run FILE.ce.json [--json] [--tensors DIR] [--cell ID] [--timeout SECONDS] [--max-memory-mb MB] [--max-... N]  |  ce-lab torch FILE.ce.json [--cell ID]';

/** --help: the usage and every limit flag with its default. */
export const HELP = [
  USAGE,
  '',
  '  --json              the results as one strict-JSON document (a streamed cell: per-row facts, no N×C tensors)',
  "  --tensors DIR       write each loss cell's probs, log_probs and grad into DIR as <cell id>.<name>.npy (block by block)",
  '  --cell ID           run only this cell',
  '  --timeout SECONDS   stop the run after this long (default: no time limit)',
  `  --max-memory-mb MB  heap of the engine's thread (default ${DEFAULT_MAX_MEMORY_MB})`,
  '',
  'Limits (a scenario asking for more is refused at once; see docs/limits.md):',
  ...LIMIT_NAMES.map((name) => `  ${LIMIT_INFO[name].flag.padEnd(22)} ${LIMIT_INFO[name].unit} (default ${LIMIT_INFO[name].default})`),
].join('\n');

export class UsageError extends Error {}

export interface Args {
  /** run: evaluate; torch: print the cells as a PyTorch script. */
  command: 'run' | 'torch';
  file: string;
  json: boolean;
  cellId?: string;
  limits: Partial<Limits>;
  /** Heap limit of the engine's worker thread. */
  maxMemoryMb: number;
  /** Seconds before the run is stopped; 0: no time limit. */
  timeoutSeconds: number;
  /** --tensors: where the loss cells' N×C tensors are written as .npy files. */
  tensorsDir?: string;
}

const FLAG_TO_LIMIT = new Map<string, LimitName>(LIMIT_NAMES.map((name) => [LIMIT_INFO[name].flag, name]));

function positiveNumber(flag: string, text: string | undefined, allowZero = false): number {
  if (text === undefined) throw new UsageError(`${flag} needs a number`);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} needs a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'torch') throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : 'no command given');
  const args: Args = { command, file: '', json: false, limits: {}, maxMemoryMb: DEFAULT_MAX_MEMORY_MB, timeoutSeconds: 0 };
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    // The flag's value: after "=", or the next argument.
    const value = () => (eq > 0 ? arg.slice(eq + 1) : rest[++i]);
    const limit = FLAG_TO_LIMIT.get(flag);
    if (flag === '--json' && eq < 0 && command === 'run') args.json = true;
    else if (flag === '--cell') {
      args.cellId = value();
      if (args.cellId === undefined) throw new UsageError('--cell needs a cell id');
    } else if (flag === '--timeout') args.timeoutSeconds = positiveNumber(flag, value(), true);
    else if (flag === '--max-memory-mb') args.maxMemoryMb = positiveNumber(flag, value());
    else if (flag === '--tensors' && command === 'run') {
      args.tensorsDir = value();
      if (!args.tensorsDir) throw new UsageError('--tensors needs a folder');
    } else if (limit) args.limits[limit] = positiveNumber(flag, value());
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (file === undefined) throw new UsageError('no scenario file given');
  return { ...args, file };
}

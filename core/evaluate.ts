// Evaluates a scenario cell by cell, yielding events as it goes. A cell that
// fails reports its own error; the others still run unless they depend on it.
import { assertNever } from './assertNever';
import { kernels } from './compute/registry';
import type { EngineEvent } from './events';
import type { CellHeader, CellSuccess, CellType, Dtype, JsonPath, Problem } from './results';
import { evaluateLoss, lossCellResult, lossFacts, readLossCell, LOSS_FIELDS, type LossCellInput } from './scenario/lossCell';
import { ScenarioError } from './scenario/problems';
import { describeValue, fields, isObject, type FieldReader, type JsonObject } from './scenario/read';
import { closestName } from './scenario/suggest';
import { runSweep } from './scenario/sweepCell';
import type { TensorSource } from './scenario/tensorValue';
import { runTrain } from './scenario/trainCell';

/** Milliseconds between training progress events: about 20 a second, which the panel coalesces again per frame. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 50;

export interface EvaluateOptions {
  /** Aborting stops the run between cells, sweep points and training steps. */
  signal?: AbortSignal;
  /** Run only this cell (a sweep still reads the loss cell it sweeps). */
  cellId?: string;
  /** Leave these cells out (a training kept running elsewhere while the others are re-evaluated). */
  skipCellIds?: string[];
  /** Minimum milliseconds between training progress events (0: every step); default DEFAULT_PROGRESS_INTERVAL_MS. */
  progressIntervalMs?: number;
  /** Reads an {"npy": path} file; rejects with a readable message. The engine itself touches no file system. */
  loadNpy?: (relativePath: string, path: JsonPath) => Promise<Uint8Array>;
  /** Awaited before every training step: how Pause and Step hold a run. */
  beforeStep?: () => Promise<void>;
  /** Title when the scenario has none (the file name). */
  defaultTitle?: string;
}

const CELL_FIELDS: Record<CellType, string[]> = {
  markdown: ['text'],
  loss: LOSS_FIELDS,
  sweep: ['of', 'param', 'from', 'to', 'steps'],
  train: ['model', 'data', 'optimizer', 'loss', 'steps', 'batch_size', 'shuffle'],
};
const CELL_TYPES: readonly CellType[] = ['markdown', 'loss', 'sweep', 'train'];
const isCellType = (value: unknown): value is CellType => CELL_TYPES.some((type) => type === value);
const COMMON_FIELDS = ['type', 'id', 'title'];

export interface Scenario {
  title: string;
  dtype: Dtype;
  seed: number;
  cells: unknown[];
}

export function readScenario(text: string, defaultTitle: string): Scenario {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`Not valid JSON: ${(error as Error).message}`, []);
  }
  if (!isObject(doc)) throw new ScenarioError(`Not a scenario: expected a JSON object with "cells", got ${describeValue(doc)}.`, []);
  const f = fields(doc, []);
  if (f.has('version') && f.raw('version') !== 1) {
    throw new ScenarioError(`Unsupported version ${describeValue(f.raw('version'))}: this CE Lab reads scenario version 1.`, ['version']);
  }
  if (!f.has('cells')) throw new ScenarioError('Not a scenario: the "cells" array is missing.', []);
  const cells = f.raw('cells');
  if (!Array.isArray(cells)) throw new ScenarioError(`"cells" must be an array of cells, got ${describeValue(cells)}.`, ['cells']);
  const seed = f.integer('seed', 0);
  return { title: f.string('title', defaultTitle), dtype: f.oneOf('dtype', ['float32', 'float64'] as const, 'float32'), seed, cells };
}

function headerOf(cell: unknown, index: number): CellHeader {
  const object: JsonObject = isObject(cell) ? cell : {};
  return {
    index,
    id: typeof object.id === 'string' ? object.id : `cell-${index}`,
    // A missing or unknown type reads as markdown (nothing to draw); checkCell then fails the cell on its type.
    type: isCellType(object.type) ? object.type : 'markdown',
    ...(typeof object.title === 'string' ? { title: object.title } : {}),
  };
}

/** On the key itself: a misspelt option would otherwise be silently left out of the loss. */
function unknownFieldWarnings(f: FieldReader, type: CellType): Problem[] {
  const known = [...COMMON_FIELDS, ...CELL_FIELDS[type]];
  return Object.keys(f.object)
    .filter((key) => !known.includes(key) && !key.startsWith('$'))
    .map((key) => {
      const guess = closestName(key, known);
      const message = guess
        ? `Unknown field "${key}" in a ${type} cell: did you mean "${guess}"? As written it is ignored.`
        : `Unknown field "${key}" in a ${type} cell; it is ignored. Known fields: ${known.join(', ')}.`;
      return { message, path: f.at(key), at: 'key' as const };
    });
}

function checkCell(cell: unknown, header: CellHeader, headers: CellHeader[]): FieldReader {
  const path: JsonPath = ['cells', header.index];
  if (!isObject(cell)) throw new ScenarioError(`A cell must be an object with a "type", got ${describeValue(cell)}.`, path);
  const f = fields(cell, path);
  if (!f.has('type')) throw new ScenarioError(`Missing "type": one of ${CELL_TYPES.join(', ')}.`, path);
  f.oneOf('type', CELL_TYPES, 'markdown');
  if (f.has('id')) f.string('id', '');
  f.optionalString('title');
  const first = headers.find((h) => h.id === header.id);
  if (first && first.index !== header.index) {
    throw new ScenarioError(`Duplicate id "${header.id}": cell ${first.index} already uses it.`, f.at('id'));
  }
  return f;
}

export async function* evaluateScenario(text: string, options: EvaluateOptions = {}): AsyncGenerator<EngineEvent> {
  let scenario: Scenario;
  try {
    scenario = readScenario(text, options.defaultTitle ?? 'Untitled scenario');
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    yield { kind: 'file-error', error: { message: error.message, path: error.path } };
    return;
  }
  const headers = scenario.cells.map(headerOf);
  if (options.cellId !== undefined && !headers.some((h) => h.id === options.cellId)) {
    yield { kind: 'file-error', error: { message: `No cell with id "${options.cellId}"; the ids are: ${headers.map((h) => h.id).join(', ')}.`, path: ['cells'] } };
    return;
  }
  yield { kind: 'scenario', title: scenario.title, dtype: scenario.dtype, cells: headers, kernels: kernels().name };

  const cancelled = () => options.signal?.aborted === true;
  const source: TensorSource = { seed: scenario.seed, cellIds: headers.map((h) => h.id), dtype: scenario.dtype, loadNpy: options.loadNpy };
  const lossInputs = new Map<string, Promise<LossCellInput>>();
  /** The inputs of loss cell `id`, read once, whether it ran already or not. */
  const lossInputOf = (id: string, sweep: FieldReader): Promise<LossCellInput> => {
    const header = headers.find((h) => h.id === id);
    if (!header || header.type !== 'loss') {
      const ids = headers.filter((h) => h.type === 'loss').map((h) => h.id);
      return Promise.reject(new ScenarioError(`"of" must name a loss cell; ${JSON.stringify(id)} is not one (loss cells: ${ids.join(', ') || 'none'}).`, sweep.at('of')));
    }
    if (!lossInputs.has(id)) {
      lossInputs.set(id, readLossCell(fields(scenario.cells[header.index] as JsonObject, ['cells', header.index]), source, scenario.dtype));
    }
    return lossInputs.get(id)!;
  };

  for (const header of headers) {
    if (options.cellId !== undefined && header.id !== options.cellId) continue;
    if (options.skipCellIds?.includes(header.id)) continue;
    if (cancelled()) break;
    const { index, id, title } = header;
    yield { kind: 'cell-started', index, id };
    try {
      const f = checkCell(scenario.cells[index], header, headers);
      const warnings = unknownFieldWarnings(f, header.type);
      let result: CellSuccess | null;
      switch (header.type) {
        case 'markdown': {
          const text = f.string('text', '');
          result = { id, type: 'markdown', ok: true, ...(title === undefined ? {} : { title }), text };
          break;
        }
        case 'loss': {
          const input = await lossInputOf(id, f);
          result = lossCellResult(id, title, input, evaluateLoss(input), warnings);
          break;
        }
        case 'sweep': {
          if (!f.has('of')) throw new ScenarioError('Missing "of": the id of the loss cell to sweep.', f.path);
          const ofId = f.string('of', '');
          let input: LossCellInput;
          try {
            input = await lossInputOf(ofId, f);
            lossFacts(input);
          } catch (error) {
            if (!(error instanceof ScenarioError) || error.path[2] === 'of') throw error;
            throw new ScenarioError(`Loss cell "${ofId}" has an error, so it cannot be swept: ${error.message}`, f.at('of'));
          }
          result = yield* runSweep(f, index, id, title, input, cancelled);
          if (result) result.warnings.push(...warnings);
          break;
        }
        case 'train': {
          const controls = {
            cancelled,
            beforeStep: options.beforeStep,
            progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
            now: () => Date.now(),
          };
          result = yield* runTrain(f, index, id, title, { seed: scenario.seed, dtype: scenario.dtype, source }, controls);
          if (result) result.warnings.push(...warnings);
          break;
        }
        default:
          assertNever(header.type, 'cell type');
      }
      if (result === null) break;
      yield { kind: 'cell-result', index, result };
    } catch (error) {
      // A bug in one cell must not take the others down: report it in place.
      const problem =
        error instanceof ScenarioError
          ? { message: error.message, path: error.path }
          : { message: `Internal error (please report it): ${(error as Error).message ?? String(error)}`, path: ['cells', index] };
      yield { kind: 'cell-failed', index, result: { id, type: header.type, ok: false, ...(title === undefined ? {} : { title }), error: problem } };
    }
  }
  yield { kind: 'done', cancelled: cancelled() };
}

// Evaluates a scenario cell by cell, yielding events as it goes. A cell that
// fails reports its own error; the others still run unless they depend on it.
import { assertNever } from './assertNever';
import { kernels } from './compute/registry';
import type { EngineEvent } from './events';
import { Budget, checkLimit, DEFAULT_LIMITS, formatCount, howToRaise, resolveLimits, type Limits } from './limits';
import type { CellHeader, CellSuccess, CellType, Dtype, JsonPath, Problem, RowDetail } from './results';
import { evaluateLoss, lossCellResult, lossFacts, readLossCell, LOSS_FIELDS, type LossCellInput } from './scenario/lossCell';
import { ScenarioError } from './scenario/problems';
import { describeValue, fields, isObject, own, type FieldReader, type JsonObject } from './scenario/read';
import { unknownFieldWarning } from './scenario/suggest';
import { runSweep } from './scenario/sweepCell';
import type { FileLoader, TensorSource } from './scenario/tensorValue';
import type { RangeFileOpener } from './files/rangeFile';
import { closeStreamedInput, drainPass, readStreamedLossCell, runStreamedPass } from './scenario/streamedLossCell';
import { streamedLoss } from './nn/streamedCrossEntropy';
import type { StreamHelper } from './calibration/calibrationHelper';
import { elementDetail } from './scenario/streamedLossResult';
import { checkElement, rowDetail, wholeRows } from './scenario/rowDetail';
import { runStreamedLossCell, type AfterStreamedPass } from './scenario/streamedRun';
import { runTrain } from './scenario/trainCell';
import { messageOf } from './errorMessage';

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
  loadNpy?: FileLoader;
  /** Opens a file to read in pieces: a loss cell's logits file past maxElements streams through it (without it, it is read whole). */
  openFile?: RangeFileOpener;
  /** With `cellId`, a loss cell: instead of its result, the classes of this element (a `cell-detail` event). */
  detail?: number;
  /** A second thread for streamed cells of ≥ 1e7 logits and their calibration (Node: node/streamHelper.ts); results are the same bits without it. */
  passHelper?: StreamHelper;
  /** Called with a streamed cell's pass while its file is open (the CLI's --tensors writes the N×C tensors then, block by block). */
  afterStreamedPass?: AfterStreamedPass;
  /** A streamed cell reports its loss before its calibration passes, then again with them (streamedRun.ts); else once. */
  provisionalStreamedResults?: boolean;
  /** Awaited before every training step: how Pause and Step hold a run. */
  beforeStep?: () => Promise<void>;
  /** Title when the scenario has none (the file name). */
  defaultTitle?: string;
  /** Limits that differ from the defaults (see limits.ts). */
  limits?: Partial<Limits>;
}

export const CELL_FIELDS: Record<CellType, string[]> = {
  markdown: ['text'],
  loss: LOSS_FIELDS,
  sweep: ['of', 'param', 'from', 'to', 'steps', 'ece'],
  train: ['model', 'data', 'optimizer', 'loss', 'steps', 'batch_size', 'shuffle'],
};
const CELL_TYPES: readonly CellType[] = ['markdown', 'loss', 'sweep', 'train'];
const isCellType = (value: unknown): value is CellType => CELL_TYPES.some((type) => type === value);
export const COMMON_FIELDS = ['type', 'id', 'title'];
/** Unknown fields named one by one; the rest are counted in one warning. */
const MAX_FIELD_WARNINGS = 10;

export interface Scenario {
  title: string;
  dtype: Dtype;
  seed: number;
  cells: unknown[];
}

/** The JSON path of the first value under `start` nested deeper than `maxDepth` from the root, or null; iterative, so any depth is safe. */
function tooDeep(value: unknown, start: JsonPath, maxDepth: number): JsonPath | null {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: start }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maxDepth) return path;
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else for (const key of Object.keys(value)) stack.push({ value: own(value as JsonObject, key), path: [...path, key] });
  }
  return null;
}

function checkDepth(value: unknown, start: JsonPath, limits: Limits): void {
  const deep = tooDeep(value, start, limits.maxDepth);
  if (deep) checkLimit(limits, 'maxDepth', deep.length + 1, 'This value is nested', deep);
}

export function readScenario(text: string, defaultTitle: string, limits: Limits = DEFAULT_LIMITS): Scenario {
  // Text longer than the limit in UTF-16 units is at least that many bytes in UTF-8.
  if (text.length > limits.maxFileBytes) {
    throw new ScenarioError(
      `The scenario is at least ${formatCount(text.length)} bytes; the limit is ${formatCount(limits.maxFileBytes)} bytes per file (${howToRaise('maxFileBytes')}).`,
      [],
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ScenarioError(`Not valid JSON: ${messageOf(error)}`, []);
  }
  if (!isObject(doc)) throw new ScenarioError(`Not a scenario: expected a JSON object with "cells", got ${describeValue(doc)}.`, []);
  const f = fields(doc, []);
  // Cells are checked one by one (checkCell), so a deep cell fails alone.
  for (const key of Object.keys(doc)) if (key !== 'cells') checkDepth(f.raw(key), [key], limits);
  if (f.has('version') && f.raw('version') !== 1) {
    throw new ScenarioError(`Unsupported version: this CE Lab reads scenario version 1, got ${describeValue(f.raw('version'))}.`, ['version']);
  }
  if (!f.has('cells')) throw new ScenarioError('Not a scenario: the "cells" array is missing.', []);
  const cells = f.raw('cells');
  if (!Array.isArray(cells)) throw new ScenarioError(`"cells" must be an array of cells, got ${describeValue(cells)}.`, ['cells']);
  checkLimit(limits, 'maxCells', cells.length, 'The scenario has', ['cells']);
  const seed = f.integer('seed', 0);
  return { title: f.string('title', defaultTitle), dtype: f.oneOf('dtype', ['float32', 'float64'] as const, 'float32'), seed, cells };
}

function headerOf(cell: unknown, index: number): CellHeader {
  const object: JsonObject = isObject(cell) ? cell : {};
  const id = own(object, 'id');
  const type = own(object, 'type');
  const title = own(object, 'title');
  return {
    index,
    id: typeof id === 'string' ? id : `cell-${index}`,
    // A missing or unknown type reads as markdown (nothing to draw); checkCell then fails the cell on its type.
    type: isCellType(type) ? type : 'markdown',
    ...(typeof title === 'string' ? { title } : {}),
  };
}

/** On the key itself: a misspelt option would otherwise be silently left out of the loss. */
function unknownFieldWarnings(f: FieldReader, type: CellType): Problem[] {
  const known = [...COMMON_FIELDS, ...CELL_FIELDS[type]];
  const unknown = Object.keys(f.object).filter((key) => !known.includes(key) && !key.startsWith('$'));
  const warnings = unknown.slice(0, MAX_FIELD_WARNINGS).map((key) => unknownFieldWarning(key, known, `a ${type} cell`, f.at(key)));
  if (unknown.length > MAX_FIELD_WARNINGS) {
    warnings.push({ message: `${unknown.length - MAX_FIELD_WARNINGS} more unknown fields in this cell are ignored.`, path: f.path });
  }
  return warnings;
}

/** `firstIndex`: the index of the first cell with each id. */
function checkCell(cell: unknown, header: CellHeader, firstIndex: Map<string, number>, limits: Limits): FieldReader {
  const path: JsonPath = ['cells', header.index];
  if (!isObject(cell)) throw new ScenarioError(`A cell must be an object with a "type", got ${describeValue(cell)}.`, path);
  checkDepth(cell, path, limits);
  const f = fields(cell, path);
  if (!f.has('type')) throw new ScenarioError(`Missing "type": one of ${CELL_TYPES.join(', ')}.`, path);
  f.oneOf('type', CELL_TYPES, 'markdown');
  if (f.has('id')) f.string('id', '');
  f.optionalString('title');
  const first = firstIndex.get(header.id) ?? header.index;
  if (first !== header.index) {
    if (f.has('id')) throw new ScenarioError(`Duplicate id ${JSON.stringify(header.id)}: cell ${first} already uses it.`, f.at('id'));
    throw new ScenarioError(
      `This cell has no id, so it is called ${JSON.stringify(header.id)}, but cell ${first} already uses that id: give one of them another id.`,
      path,
    );
  }
  return f;
}

/** What a person sees when something other than a scenario problem stops a cell. */
function unexpected(error: unknown, header: CellHeader): Problem {
  const path = ['cells', header.index];
  const text = messageOf(error);
  if (error instanceof RangeError && /allocation failed|array length|call stack/i.test(text)) {
    return { message: `Cell ${JSON.stringify(header.id)} needs more memory than the engine has; make its tensors or model smaller.`, path };
  }
  return { message: `Internal error in cell ${JSON.stringify(header.id)} (please report it): ${text.split('\n')[0].slice(0, 200)}`, path };
}

/** Element `element` of a loss cell: from its file when it streams (the kept pass serves it), else from the cell held whole. */
async function lossCellDetail(f: FieldReader, source: TensorSource, options: EvaluateOptions, element: number): Promise<RowDetail> {
  const streamed = options.openFile ? await readStreamedLossCell(f, source, options.openFile) : null;
  if (streamed) {
    try {
      checkElement(element, streamed.logits.shape, f.path);
      const pass = await drainPass(runStreamedPass(streamed, options.signal, options.passHelper));
      const { perElement } = streamedLoss(pass, streamed.labelSmoothing);
      const rows = await elementDetail(streamed, pass, element);
      return rowDetail(element, pass.classIndex[element], perElement.data[element], rows, streamed.classes);
    } finally {
      await closeStreamedInput(streamed);
    }
  }
  const input = await readLossCell(f, source, source.dtype);
  checkElement(element, input.logits.tensor.shape, f.path);
  const result = evaluateLoss(input);
  const target = result.targetKind === 'index' ? input.target.tensor.data[element] : -1;
  const rows = wholeRows(input.logits.tensor.data, result, element);
  return rowDetail(element, result.ignored[element] ? -1 : target, result.perElement.data[element], rows, input.classes);
}

export async function* evaluateScenario(text: string, options: EvaluateOptions = {}): AsyncGenerator<EngineEvent> {
  const limits = resolveLimits(options.limits);
  let scenario: Scenario;
  try {
    scenario = readScenario(text, options.defaultTitle ?? 'Untitled scenario', limits);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    yield { kind: 'file-error', error: error.problem() };
    return;
  }
  const headers = scenario.cells.map(headerOf);
  const firstIndex = new Map<string, number>();
  for (const h of headers) if (!firstIndex.has(h.id)) firstIndex.set(h.id, h.index);
  if (options.cellId !== undefined && !firstIndex.has(options.cellId)) {
    const ids = headers.length === 0 ? 'the scenario has no cells' : `the ids are: ${headers.map((h) => h.id).join(', ')}`;
    yield { kind: 'file-error', error: { message: `No cell with id ${JSON.stringify(options.cellId)}; ${ids}.`, path: ['cells'] } };
    return;
  }
  yield { kind: 'scenario', title: scenario.title, dtype: scenario.dtype, cells: headers, kernels: kernels().name };

  const cancelled = () => options.signal?.aborted === true;
  const source: TensorSource = {
    seed: scenario.seed,
    cellIds: headers.map((h) => h.id),
    dtype: scenario.dtype,
    loadNpy: options.loadNpy,
    openFile: options.openFile,
    budget: new Budget(limits),
  };
  const lossInputs = new Map<string, Promise<LossCellInput>>();
  /** The inputs of loss cell `id`, read once, whether it ran already or not. */
  const lossInputOf = (id: string, sweep: FieldReader): Promise<LossCellInput> => {
    const index = firstIndex.get(id);
    const header = index === undefined ? undefined : headers[index];
    if (!header || header.type !== 'loss') {
      const ids = headers.filter((h) => h.type === 'loss').map((h) => h.id);
      return Promise.reject(
        new ScenarioError(`"of" must name a loss cell; ${JSON.stringify(id)} is not one (loss cells: ${ids.join(', ') || 'none'}).`, sweep.at('of')),
      );
    }
    if (!lossInputs.has(id)) {
      checkDepth(scenario.cells[header.index], ['cells', header.index], limits);
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
      const f = checkCell(scenario.cells[index], header, firstIndex, limits);
      const warnings = unknownFieldWarnings(f, header.type);
      let result: CellSuccess | null;
      switch (header.type) {
        case 'markdown': {
          const text = f.string('text', '');
          result = { id, type: 'markdown', ok: true, ...(title === undefined ? {} : { title }), text };
          break;
        }
        case 'loss': {
          if (options.detail !== undefined) {
            yield { kind: 'cell-detail', index, id, detail: await lossCellDetail(f, source, options, options.detail) };
            result = null;
            break;
          }
          const streamed = options.openFile ? await readStreamedLossCell(f, source, options.openFile) : null;
          if (streamed) {
            const goesOn = yield* runStreamedLossCell(header, streamed, warnings, {
              signal: options.signal,
              afterPass: options.afterStreamedPass,
              helper: options.passHelper,
              provisional: options.provisionalStreamedResults,
            });
            if (goesOn) continue;
            result = null;
            break;
          }
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
            throw new ScenarioError(`Loss cell "${ofId}" has an error, so it cannot be swept: ${error.message}`, f.at('of'), error.limits);
          }
          result = yield* runSweep(f, index, id, title, input, source.budget, cancelled);
          if (result) result.warnings = result.warnings.concat(warnings);
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
          if (result) result.warnings = result.warnings.concat(warnings);
          break;
        }
        default:
          assertNever(header.type, 'cell type');
      }
      if (result === null) break;
      yield { kind: 'cell-result', index, result };
    } catch (error) {
      // A bug in one cell must not take the others down: report it in place.
      const problem = error instanceof ScenarioError ? error.problem() : unexpected(error, header);
      yield { kind: 'cell-failed', index, result: { id, type: header.type, ok: false, ...(title === undefined ? {} : { title }), error: problem } };
    }
  }
  yield { kind: 'done', cancelled: cancelled() };
}

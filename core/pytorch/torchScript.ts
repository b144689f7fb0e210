// "Copy as PyTorch": a scenario's loss, sweep and train cells as one short,
// self-contained Python script (torch, plus numpy only to load .npy/.npz) that
// prints, per cell, one JSON line with the numbers `ce-lab run --json` gives.
import { readScenario } from '../evaluate';
import { Budget, resolveLimits, type Limits } from '../limits';
import type { JsonPath } from '../results';
import { calibrationPlanOf, evaluateLoss, readLossCell } from '../scenario/lossCell';
import { runSweep, sweepEceBins } from '../scenario/sweepCell';
import { ScenarioError } from '../scenario/problems';
import { fields, isObject, type JsonObject } from '../scenario/read';
import type { TensorSource } from '../scenario/tensorValue';
import { readTrainInputs } from '../scenario/trainInputs';
import { lossScript, sweepScript, trainScript } from './cellScripts';
import { CALIBRATION_FUNCTION } from './calibrationCode';
import { pyString } from './pythonLiterals';
import { ScriptNeeds, type SideFile } from './tensorCode';

export interface TorchScriptOptions {
  /** Reads a file a tensor names, relative to the scenario (the engine's loader). */
  loadFile?: TensorSource['loadNpy'];
  /** The scenario's folder as the script should find it (absolute); null for an untitled scenario. */
  scenarioDir: string | null;
  /** The scenario's file name without .ce.json: generated .npy files are named after it. */
  fileStem: string;
  /** Only this cell. */
  cellId?: string;
  /** Limits that differ from the defaults (the values are read as a run reads them). */
  limits?: Partial<Limits>;
}

export interface TorchScript {
  script: string;
  /** Generated values the script loads, to be written next to the scenario. */
  files: SideFile[];
  /** Cells that could not be written (their error, at the JSON path of the value). */
  problems: { id: string; message: string; path: JsonPath }[];
}

const JSON_LINE = `def json_line(result):
    """Prints one line of strict JSON, non-finite numbers as "NaN"/"Infinity" (as \`ce-lab run --json\` does)."""
    def strict(v):
        if isinstance(v, float) and not math.isfinite(v):
            return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
        return [strict(x) for x in v] if isinstance(v, list) else v
    print(json.dumps({key: strict(value) for key, value in result.items()}))`;

const LOAD_SAFETENSORS = `def load_safetensors(path, key):
    """One tensor of a .safetensors file: 8-byte header size, JSON header, little-endian data."""
    with open(path, "rb") as file:
        data = file.read()
    size = int.from_bytes(data[:8], "little")
    entry = json.loads(data[8:8 + size])[key]
    start, end = entry["data_offsets"]
    kinds = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32}
    values = torch.frombuffer(bytearray(data[8 + size + start:8 + size + end]), dtype=kinds[entry["dtype"]])
    return values.reshape(entry["shape"])`;

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** The engine's error message for what `run` does, or null when it runs. */
async function errorOf(run: () => unknown): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
}

/** A cell the engine refuses: PyTorch's own error is printed as the cell's line, and the script goes on. */
function caught(lines: string[], id: string, engineError: string): string[] {
  return [
    `# CE Lab refuses this cell: ${oneLine(engineError)}`,
    'try:',
    ...lines.map((line) => `    ${line}`),
    'except Exception as error:  # PyTorch refuses it too',
    `    json_line({"id": ${pyString(id)}, "error": f"{type(error).__name__}: {error}"})`,
  ];
}

function cellId(cell: unknown, index: number): string {
  return isObject(cell) && typeof cell.id === 'string' ? cell.id : `cell-${index}`;
}

export async function torchScript(text: string, options: TorchScriptOptions): Promise<TorchScript> {
  const limits = resolveLimits(options.limits);
  const scenario = readScenario(text, options.fileStem, limits);
  const ids = scenario.cells.map(cellId);
  const source: TensorSource = { seed: scenario.seed, cellIds: ids, dtype: scenario.dtype, loadNpy: options.loadFile, budget: new Budget(limits) };
  const needs = new ScriptNeeds(options.fileStem);
  if (options.cellId !== undefined && !ids.includes(options.cellId)) {
    throw new ScenarioError(`No cell with id "${options.cellId}"; the ids are: ${ids.join(', ')}.`, ['cells']);
  }
  const blocks: string[] = [];
  const problems: TorchScript['problems'] = [];
  let training = false;
  for (const [index, cell] of scenario.cells.entries()) {
    const id = ids[index];
    if (!isObject(cell) || (options.cellId !== undefined && id !== options.cellId)) continue;
    const type = cell.type;
    if (type !== 'loss' && type !== 'sweep' && type !== 'train') continue;
    const f = fields(cell, ['cells', index]);
    try {
      let lines: string[];
      /** What the engine says is wrong with the cell, if anything: the script then catches PyTorch's own error. */
      let engineError: string | null = null;
      if (type === 'loss') {
        const input = await readLossCell(f, source, scenario.dtype);
        engineError = await errorOf(() => evaluateLoss(input));
        const plan = engineError === null ? calibrationPlanOf(input) : null;
        lines = lossScript(f, input, id, needs, plan && 'bins' in plan ? plan.bins : null);
      } else if (type === 'sweep') {
        const of = f.string('of', '');
        const ofIndex = ids.indexOf(of);
        const ofCell = scenario.cells[ofIndex];
        if (ofIndex < 0 || !isObject(ofCell) || ofCell.type !== 'loss')
          throw new ScenarioError(`"of" must name a loss cell; ${JSON.stringify(of)} is not one.`, f.at('of'));
        const ofFields = fields(ofCell as JsonObject, ['cells', ofIndex]);
        const input = await readLossCell(ofFields, source, scenario.dtype);
        engineError = await errorOf(async () => {
          evaluateLoss(input);
          for await (const event of runSweep(f, index, id, undefined, input, source.budget, () => false)) void event;
        });
        lines = sweepScript(f, ofFields, input, id, needs, f.boolean('ece', false) ? sweepEceBins(input) : null);
      } else {
        training = true;
        lines = trainScript(f, await readTrainInputs(f, scenario.seed, source), source, id, needs);
      }
      const body = engineError === null ? lines : caught(lines, id, engineError);
      blocks.push([`# ${type} cell ${pyString(id)}`, ...body].join('\n'));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push({ id, message: error.message, path: error.path });
      blocks.push(
        [
          `# ${type} cell ${pyString(id)} cannot be written as PyTorch: ${oneLine(error.message)}`,
          `json_line({"id": ${pyString(id)}, "error": ${pyString(error.message)}})`,
        ].join('\n'),
      );
    }
  }
  const imports = [
    'import json',
    'import math',
    ...(needs.paths ? ['import os'] : []),
    '',
    ...(needs.numpy ? ['import numpy as np'] : []),
    'import torch',
    ...(training ? ['import torch.nn as nn'] : []),
    'import torch.nn.functional as F',
  ];
  const settings = [`dtype = torch.${scenario.dtype}  # the scenario's "dtype"`];
  if (needs.paths) settings.push(`HERE = ${pyString(options.scenarioDir ?? '.')}  # the scenario's folder: file paths are relative to it`);
  const head = [
    `# CE Lab scenario ${pyString(scenario.title)} as PyTorch.`,
    '# Each cell prints one JSON line with the numbers `ce-lab run --json` gives.',
    ...imports,
    '',
    '',
    JSON_LINE,
    ...(needs.safetensors ? ['', '', LOAD_SAFETENSORS] : []),
    ...(needs.calibration ? ['', '', CALIBRATION_FUNCTION] : []),
    '',
    '',
    ...settings,
  ];
  return { script: `${[...head, ...blocks.map((b) => `\n${b}`)].join('\n')}\n`, files: needs.files, problems };
}

// A tensor written in a scenario: nested arrays, {"npy": path}, {"npz": path, "key": name},
// {"safetensors": path, "key": name} or {"random": {...}}.
import type { Budget } from '../limits';
import { parseNpyHeader, readNpyData } from '../npy';
import { MissingKeyError, parseNpz } from '../npz';
import { MissingTensorError, parseSafetensors } from '../safetensors';
import { newFloatArray } from '../compute/kernelSet';
import type { Dtype, JsonPath } from '../results';
import { nestedShape, numel, tensor, type Tensor } from '../tensor';
import { ScenarioError } from './problems';
import { atLeast, describeValue, expectObject, fields, isObject, own, toFloat, toInteger } from './read';
import { generatorFor, type RandomSeeding } from './seeding';
import { messageOf } from '../errorMessage';
import type { RangeFileOpener } from '../files/rangeFile';
import { openNamedTensor, readNamedTensor } from './namedTensor';

/** Reads a file named in the scenario, at most `maxBytes` long; rejects with a readable message. */
export type FileLoader = (relativePath: string, path: JsonPath, maxBytes: number) => Promise<Uint8Array>;

export interface TensorSource extends RandomSeeding {
  /** The scenario's dtype: random floats are stored in it (float32 tensors as Float32Array). */
  dtype: Dtype;
  /** Reads a file a tensor names (.npy, .npz, .safetensors), relative to the scenario and inside the workspace. */
  loadNpy?: FileLoader;
  /** Opens such a file to read in ranges: a tensor is then read out of it in place, whatever the file's size. */
  openFile?: RangeFileOpener;
  /** The run's limits and what it has used of them. */
  budget: Budget;
}

export interface ReadTensor {
  tensor: Tensor;
  /** How the file wrote it. */
  written: 'array' | 'number' | 'npy' | 'npz' | 'safetensors' | 'random';
  /** JSON path of element `index` (exact for nested arrays; the value itself for npy/random). */
  pathOf(index: number[]): JsonPath;
}

/**
 * Nested arrays → a tensor, walked with an explicit stack (no recursion on user depth).
 * The shape is read along the first elements and checked against the limits before
 * anything is allocated; a row of another length is a ragged-array error at its path.
 */
function readNested(value: unknown[], path: JsonPath, leaf: (v: unknown, p: JsonPath) => number, budget: Budget): Tensor {
  const shape = nestedShape(value);
  const count = numel(shape);
  budget.tensor(shape, 'This array has', path);
  const data = new Float64Array(count);
  const stack: { items: unknown[]; next: number }[] = [];
  const pathHere = (): JsonPath => [...path, ...stack.map((level) => level.next - 1)];
  const enter = (v: unknown) => {
    const depth = stack.length;
    if (!Array.isArray(v))
      throw new ScenarioError(`Ragged array: expected an array of ${shape[depth]} like the first row, got ${describeValue(v)}.`, pathHere());
    if (v.length !== shape[depth])
      throw new ScenarioError(`Ragged array: this row has ${v.length} values but the first row has ${shape[depth]}.`, pathHere());
    stack.push({ items: v, next: 0 });
  };
  enter(value);
  let offset = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++];
    if (stack.length < shape.length) {
      enter(item);
    } else if (Array.isArray(item)) {
      throw new ScenarioError('Ragged array: expected a number here like the first row, got an array.', pathHere());
    } else {
      data[offset++] = typeof item === 'number' && leaf === toFloat ? item : leaf(item, pathHere());
    }
  }
  return { shape, data };
}

function readShape(value: unknown, path: JsonPath): number[] {
  if (!Array.isArray(value)) throw new ScenarioError(`shape must be an array of sizes such as [4, 3], got ${describeValue(value)}.`, path);
  return value.map((d, i) => {
    const size = toInteger(d, [...path, i], 'a size (a non-negative integer)');
    if (size < 0) throw new ScenarioError(`Sizes cannot be negative, got ${size}.`, [...path, i]);
    return size;
  });
}

function readRandom(spec: unknown, path: JsonPath, source: TensorSource, integers: boolean): Tensor {
  const f = fields(expectObject(spec, path, '"random"'), path);
  const shape = readShape(f.required('shape', 'the shape of the random tensor, e.g. [4, 3]'), f.at('shape'));
  source.budget.tensor(shape, 'This random tensor has', f.at('shape'));
  const generator = generatorFor(source, path);
  if (integers || f.has('classes')) {
    const classes = f.requiredInteger('classes', atLeast(1));
    const out = tensor(shape);
    for (let i = 0; i < out.data.length; i++) out.data[i] = generator.nextInt(classes);
    return out;
  }
  const out = { shape, data: newFloatArray(source.dtype, numel(shape)) };
  const dist = f.oneOf('dist', ['normal', 'uniform'] as const, 'normal');
  if (dist === 'normal') {
    const mean = f.float('mean', 0);
    const std = f.float('std', 1, (v) => (v >= 0 ? null : `must be ≥ 0, got ${v}.`));
    for (let i = 0; i < out.data.length; i++) out.data[i] = mean + std * generator.nextNormal();
  } else {
    const low = f.float('low', 0);
    const high = f.float('high', 1);
    for (let i = 0; i < out.data.length; i++) out.data[i] = low + (high - low) * generator.nextDouble();
  }
  return out;
}

async function loadFile(spec: unknown, path: JsonPath, source: TensorSource, kind: string): Promise<Uint8Array> {
  if (typeof spec !== 'string') throw new ScenarioError(`"${kind}" must be a path relative to the scenario, got ${describeValue(spec)}.`, path);
  if (!source.loadNpy) throw new ScenarioError(`This runner cannot read .${kind} files.`, path);
  try {
    return await source.loadNpy(spec, path, source.budget.limits.maxFileBytes);
  } catch (error) {
    throw new ScenarioError(`Cannot read ${spec}: ${messageOf(error)}.`, path);
  }
}

async function readNpyValue(spec: unknown, path: JsonPath, source: TensorSource): Promise<Tensor> {
  const bytes = await loadFile(spec, path, source, 'npy');
  let header;
  try {
    header = parseNpyHeader(bytes);
  } catch (error) {
    throw new ScenarioError(`${spec}: ${messageOf(error)}.`, path);
  }
  source.budget.tensor(header.shape, `${spec} has`, path);
  return { shape: header.shape, data: readNpyData(bytes, header) };
}

/** {"npz": file, "key": name} or {"safetensors": file, "key": name}: one named array of a model file. */
async function readKeyedValue(value: Record<string, unknown>, kind: 'npz' | 'safetensors', path: JsonPath, source: TensorSource): Promise<Tensor> {
  const key = own(value, 'key');
  if (typeof key !== 'string') {
    throw new ScenarioError(
      `{"${kind}": ...} needs "key": the name of the array in the file, e.g. "logits".`,
      key === undefined ? path : [...path, 'key'],
    );
  }
  const file = own(value, kind);
  const bytes = await loadFile(file, [...path, kind], source, kind);
  // The shape is checked against the limits after the header is read, before the data is.
  const limit = (shape: number[]) => source.budget.tensor(shape, `${String(file)} ("${key}") has`, [...path, kind]);
  try {
    return kind === 'npz'
      ? parseNpz(bytes, key, { maxArrayBytes: source.budget.limits.maxFileBytes, beforeRead: limit })
      : parseSafetensors(bytes, key, limit);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const missing = error instanceof MissingKeyError || error instanceof MissingTensorError;
    const message = `${String(file)}${missing ? ' ' : ': '}${messageOf(error)}.`;
    throw new ScenarioError(message, missing ? [...path, 'key'] : [...path, kind]);
  }
}

/**
 * Reads a tensor value. `integers` asks for class indices (integers only);
 * otherwise floats, with "inf"/"-inf"/"nan" allowed.
 */
export async function readTensor(value: unknown, path: JsonPath, source: TensorSource, integers = false): Promise<ReadTensor> {
  if (Array.isArray(value)) {
    const leaf = integers ? (v: unknown, p: JsonPath) => toInteger(v, p, 'a class index (an integer)') : toFloat;
    const t = readNested(value, path, leaf, source.budget);
    return { tensor: t, written: 'array', pathOf: (index) => [...path, ...index] };
  }
  if (typeof value === 'number' || typeof value === 'string') {
    const scalar = integers ? toInteger(value, path, 'a class index (an integer)') : toFloat(value, path);
    return { tensor: tensor([], [scalar]), written: 'number', pathOf: () => path };
  }
  const named = source.openFile ? await openNamedTensor(value, path, source.openFile, source.budget.limits) : null;
  if (named) return { tensor: await readNamedTensor(named, source.budget), written: named.kind, pathOf: () => named.path };
  if (isObject(value) && Object.hasOwn(value, 'npy')) {
    const t = await readNpyValue(own(value, 'npy'), [...path, 'npy'], source);
    return { tensor: t, written: 'npy', pathOf: () => [...path, 'npy'] };
  }
  for (const kind of ['npz', 'safetensors'] as const) {
    if (isObject(value) && Object.hasOwn(value, kind)) {
      const t = await readKeyedValue(value, kind, path, source);
      return { tensor: t, written: kind, pathOf: () => [...path, kind] };
    }
  }
  if (isObject(value) && Object.hasOwn(value, 'random')) {
    const t = readRandom(own(value, 'random'), [...path, 'random'], source, integers);
    return { tensor: t, written: 'random', pathOf: () => [...path, 'random'] };
  }
  throw new ScenarioError(
    `Expected a tensor: nested arrays of numbers, {"npy": "file.npy"}, {"npz": "file.npz", "key": "logits"}, {"safetensors": "file.safetensors", "key": "logits"} or {"random": {"shape": [...]}}; got ${describeValue(value)}.`,
    path,
  );
}

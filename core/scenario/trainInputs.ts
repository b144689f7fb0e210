// Reads a `train` cell's model, data, optimizer and loss settings, checking
// them as PyTorch would (shapes, optimizer arguments) with the JSON path of each problem.
import { DATASET_NAMES, DEFAULT_NOISE, makeDataset, type Dataset } from '../datasets';
import { ACTIVATION_NAMES, type ActivationName } from '../compute/activations';
import { torchLinearInit } from '../nn/init';
import { torchMessages } from '../nn/lossErrors';
import { OPTIMIZER_DEFAULTS, type OptimizerOptions } from '../nn/optimizers';
import type { LossOptions } from '../nn/train';
import type { JsonPath, LayerParams, Problem } from '../results';
import { checkLimit, formatCount, type Budget } from '../limits';
import { formatShape, toRows } from '../tensor';
import { ScenarioError } from './problems';
import { atLeast, describeValue, expectObject, fields, isObject, positive, toFloat, type FieldReader } from './read';
import { generatorFor } from './seeding';
import { unknownFieldWarning } from './suggest';
import { readTensor, type TensorSource } from './tensorValue';
import { parameterCount } from '../nn/mlp';

export interface TrainInputs {
  widths: number[];
  activation: ActivationName;
  init: LayerParams[];
  data: Dataset;
  optimizer: OptimizerOptions;
  loss: LossOptions;
  steps: number;
  batchSize: number | null;
  shuffle: boolean;
  /** Keys of the model, optimizer, loss and data objects that nothing reads, on the key. */
  warnings: Problem[];
}

function readWidths(model: FieldReader, budget: Budget): number[] {
  const value = model.required('layers', 'the widths [in, hidden..., out], e.g. [2, 8, 3]');
  const path = model.at('layers');
  if (!Array.isArray(value) || value.length < 2) {
    throw new ScenarioError(`layers must list at least two widths [in, ..., out], got ${describeValue(value)}.`, path);
  }
  const widths = value.map((w, i) => {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1)
      throw new ScenarioError(`Layer widths must be positive integers, got ${describeValue(w)}.`, [...path, i]);
    return w;
  });
  // Every limit the model exceeds in one error (at its widest layer when that is too wide): the layer's width,
  // the model's parameters, the run's elements with them.
  const widest = Math.max(...widths);
  const parameters = parameterCount(widths);
  const at = widest > budget.limits.maxLayerWidth ? [...path, widths.indexOf(widest)] : path;
  budget.chargeElements(parameters, at, 'With this model', [
    { name: 'maxLayerWidth', amount: widest, what: 'This layer has' },
    { name: 'maxParameters', amount: parameters, what: `A model with layers ${formatShape(widths)} has` },
  ]);
  return widths;
}

async function readParams(value: unknown, path: JsonPath, widths: number[], source: TensorSource): Promise<LayerParams[]> {
  if (!Array.isArray(value) || value.length !== widths.length - 1) {
    throw new ScenarioError(`params must hold one {"weight", "bias"} per Linear layer (${widths.length - 1}), got ${describeValue(value)}.`, path);
  }
  const layers: LayerParams[] = [];
  for (const [l, layer] of value.entries()) {
    const f = fields(expectObject(layer, [...path, l], 'A layer'), [...path, l]);
    const [inF, outF] = [widths[l], widths[l + 1]];
    const weight = (await readTensor(f.required('weight', `an ${outF}×${inF} matrix`), f.at('weight'), source)).tensor;
    if (weight.shape.length !== 2 || weight.shape[0] !== outF || weight.shape[1] !== inF) {
      throw new ScenarioError(
        `weight of Linear(${inF}, ${outF}) must have shape [${outF}, ${inF}] (out × in, as PyTorch stores it), got ${formatShape(weight.shape)}.`,
        f.at('weight'),
      );
    }
    const bias = (await readTensor(f.required('bias', `${outF} numbers`), f.at('bias'), source)).tensor;
    if (bias.shape.length !== 1 || bias.shape[0] !== outF) {
      throw new ScenarioError(`bias of Linear(${inF}, ${outF}) must have shape [${outF}], got ${formatShape(bias.shape)}.`, f.at('bias'));
    }
    layers.push({ weight: toRows(weight), bias: Array.from(bias.data) });
  }
  return layers;
}

async function readInit(model: FieldReader, widths: number[], seed: number, source: TensorSource): Promise<LayerParams[]> {
  if (!model.has('init')) return torchLinearInit(seed, widths);
  const init = fields(expectObject(model.raw('init'), model.at('init'), 'init'), model.at('init'));
  if (init.has('torch_seed')) return torchLinearInit(init.requiredInteger('torch_seed', atLeast(0)), widths);
  if (init.has('params')) return readParams(init.raw('params'), init.at('params'), widths, source);
  throw new ScenarioError('init must be {"torch_seed": s} or {"params": [{"weight": ..., "bias": ...}, ...]}.', init.path);
}

async function readData(data: FieldReader, widths: number[], ignoreIndex: number, source: TensorSource): Promise<Dataset> {
  const classes = widths[widths.length - 1];
  if (data.has('dataset')) {
    // Either {"dataset": "moons", "n": 200, ...} or {"dataset": {"name": "moons", "n": 200, ...}}.
    const nested = isObject(data.raw('dataset'));
    const d = nested ? fields(data.raw('dataset') as Record<string, unknown>, data.at('dataset')) : data;
    const name = nested ? d.oneOf('name', DATASET_NAMES, 'blobs') : data.oneOf('dataset', DATASET_NAMES, 'blobs');
    const n = d.integer('n', 200, atLeast(1));
    checkLimit(source.budget.limits, 'maxSamples', n, 'This dataset has', d.at('n'));
    source.budget.chargeElements(3 * n, d.at('n'));
    const k = d.integer('classes', name === 'moons' ? 2 : 3, atLeast(1));
    if (name === 'moons' && k !== 2) throw new ScenarioError('moons has exactly 2 classes.', d.at('classes'));
    if (widths[0] !== 2) throw new ScenarioError(`The ${name} dataset is 2-D, so model.layers must start with 2 (got ${widths[0]}).`, data.path);
    if (k !== classes)
      throw new ScenarioError(
        `The dataset has ${k} classes but the model ends with ${classes} outputs.`,
        d.has('classes') ? d.at('classes') : data.path,
      );
    const noise = d.float('noise', DEFAULT_NOISE[name], (v) => (v >= 0 ? null : `must be ≥ 0, got ${v}.`));
    return makeDataset(name, n, k, noise, generatorFor(source, data.path));
  }
  const x = (await readTensor(data.required('x', 'the inputs, one row per sample'), data.at('x'), source)).tensor;
  if (x.shape.length !== 2 || x.shape[1] !== widths[0]) {
    throw new ScenarioError(
      `x must have shape [N, ${widths[0]}] to match model.layers[0] = ${widths[0]}, got ${formatShape(x.shape)}.`,
      data.at('x'),
    );
  }
  const targetRead = await readTensor(data.required('target', 'one class index per sample'), data.at('target'), source, true);
  const target = targetRead.tensor;
  if (target.shape.length !== 1 || target.shape[0] !== x.shape[0]) {
    throw new ScenarioError(
      `${torchMessages.batchSize(x.shape[0], target.shape[0] ?? 'a single number')}: target needs one class index per row of x.`,
      data.at('target'),
    );
  }
  target.data.forEach((t, i) => {
    if (t !== ignoreIndex && (t < 0 || t >= classes)) {
      throw new ScenarioError(`${torchMessages.targetOutOfBounds(t, classes)} (the model has ${classes} outputs).`, targetRead.pathOf([i]));
    }
  });
  return { x: toRows(x), target: Array.from(target.data) };
}

/** torch.optim's own argument checks, in its words. */
function readOptimizer(o: FieldReader): OptimizerOptions {
  const type = o.oneOf('type', ['sgd', 'adam', 'adamw'] as const, 'sgd');
  if (!o.has('type')) throw new ScenarioError('Missing "type": "sgd", "adam" or "adamw".', o.path);
  const nonNegative = (what: string) => (v: number) => (v >= 0 ? null : `is invalid: Invalid ${what} value: ${v}`);
  const lr = o.float('lr', OPTIMIZER_DEFAULTS[type].lr, (v) => (v >= 0 ? null : `is invalid: Invalid learning rate: ${v}`));
  const weightDecay = o.float('weight_decay', OPTIMIZER_DEFAULTS[type].weight_decay, nonNegative('weight_decay'));
  if (type === 'sgd') {
    const momentum = o.float('momentum', 0, nonNegative('momentum'));
    const dampening = o.float('dampening', 0);
    const nesterov = o.boolean('nesterov', false);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ScenarioError('Nesterov momentum requires a momentum and zero dampening.', o.at('nesterov'));
    }
    return { type, lr, momentum, dampening, nesterov, weight_decay: weightDecay };
  }
  const eps = o.float('eps', 1e-8, nonNegative('epsilon'));
  let betas = OPTIMIZER_DEFAULTS[type].betas;
  if (o.has('betas')) {
    const raw = o.raw('betas');
    if (!Array.isArray(raw) || raw.length !== 2)
      throw new ScenarioError(`betas must be two numbers [β1, β2], got ${describeValue(raw)}.`, o.at('betas'));
    betas = [toFloat(raw[0], [...o.at('betas'), 0]), toFloat(raw[1], [...o.at('betas'), 1])];
    betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new ScenarioError(`Invalid beta parameter at index ${i}: ${b} (must be in [0, 1)).`, [...o.at('betas'), i]);
    });
  }
  return { type, lr, betas, eps, weight_decay: weightDecay };
}

async function readLossOptions(l: FieldReader, classes: number, source: TensorSource): Promise<LossOptions> {
  const reduction = l.oneOf('reduction', ['mean', 'sum', 'none'] as const, 'mean');
  if (reduction === 'none') {
    throw new ScenarioError(
      'reduction "none" cannot train: backward() needs a single number (PyTorch: grad can be implicitly created only for scalar outputs).',
      l.at('reduction'),
    );
  }
  let weight: number[] | null = null;
  if (l.raw('weight') !== undefined && l.raw('weight') !== null) {
    const w = (await readTensor(l.raw('weight'), l.at('weight'), source)).tensor;
    if (w.shape.length !== 1 || w.shape[0] !== classes) {
      throw new ScenarioError(torchMessages.weightShape(classes, w.shape), l.at('weight'));
    }
    weight = Array.from(w.data);
  }
  const labelSmoothing = l.float('label_smoothing', 0);
  if (labelSmoothing > 1) throw new ScenarioError(torchMessages.labelSmoothing(labelSmoothing), l.at('label_smoothing'));
  return { weight, ignoreIndex: l.integer('ignore_index', -100), reduction, labelSmoothing };
}

/**
 * Every scalar argument is checked first, then the limits on the data and the
 * work, and only then are the weights built: a bad lr never waits for them.
 */
export async function readTrainInputs(f: FieldReader, seed: number, source: TensorSource): Promise<TrainInputs> {
  const { budget } = source;
  const model = fields(expectObject(f.required('model', 'the model, e.g. {"layers": [2, 8, 3]}'), f.at('model'), 'model'), f.at('model'));
  const widths = readWidths(model, budget);
  const activation = model.oneOf('activation', ACTIVATION_NAMES, 'relu');
  const optimizerFields = fields(
    expectObject(f.required('optimizer', 'e.g. {"type": "sgd", "lr": 0.1}'), f.at('optimizer'), 'optimizer'),
    f.at('optimizer'),
  );
  const optimizer = readOptimizer(optimizerFields);
  const steps = f.requiredInteger('steps', atLeast(1));
  const batchSize = f.raw('batch_size') === null ? null : f.integer('batch_size', 0, positive) || null;
  const shuffle = f.boolean('shuffle', false);
  const lossFields = fields(f.has('loss') ? expectObject(f.raw('loss'), f.at('loss'), 'loss') : {}, f.at('loss'));
  const loss = await readLossOptions(lossFields, widths[widths.length - 1], source);
  const dataFields = fields(
    expectObject(f.required('data', 'the training data: {"x", "target"} or {"dataset"}'), f.at('data'), 'data'),
    f.at('data'),
  );
  const data = await readData(dataFields, widths, loss.ignoreIndex, source);
  const rows = Math.min(batchSize ?? data.x.length, data.x.length);
  const parameters = parameterCount(widths);
  budget.chargeWork(
    3 * steps * rows * parameters,
    `This training (${formatCount(steps)} steps × ${formatCount(rows)} rows × ${formatCount(parameters)} parameters × 3 for forward and backward)`,
    f.at('steps'),
    // Checked with the work it brings (both at `steps`): one error names both.
    [{ name: 'maxTrainSteps', amount: steps, what: 'This training has' }],
  );
  const init = await readInit(model, widths, seed, source);
  const warnings = unreadFieldWarnings([model, optimizerFields, lossFields, dataFields]);
  return { widths, activation, init, data, optimizer, loss, steps, batchSize, shuffle, warnings };
}

/**
 * On the key itself, as for a cell's own fields (core/evaluate.ts): a misspelt optimizer or loss option
 * would otherwise be silently left out. Known fields are those the reader asked about on this path.
 */
function unreadFieldWarnings(readers: FieldReader[]): Problem[] {
  return readers.flatMap((r) =>
    Object.keys(r.object)
      .filter((key) => !r.asked.has(key) && !key.startsWith('$'))
      .map((key) => unknownFieldWarning(key, [...r.asked], String(r.path.at(-1)), r.at(key))),
  );
}

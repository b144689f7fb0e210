// A `loss` cell: one torch.nn.functional.cross_entropy call, read from JSON
// and turned into the result the CLI prints and the panel draws.
import { at } from '../compute/layout';
import {
  crossEntropy,
  crossEntropyForward,
  lossOverLabelSmoothing,
  type CrossEntropyArgs,
  type CrossEntropyForward,
  type CrossEntropyResult,
} from '../nn/crossEntropy';
import { LossInputError } from '../nn/lossErrors';
import { calibrationPlan, type CalibrationPlan } from '../calibration/calibrationOption';
import { wholeCalibration } from '../calibration/wholeCalibration';
import type { Calibration, Dtype, LossResult, LossView, Problem, ResultTensor } from '../results';
import { toNested, type Tensor } from '../tensor';
import { readCalibrationOption } from '../calibration/calibrationOption';
import { readClassNames } from './classNames';
import type { LossCellInput } from './lossCellInput';
import { lossView } from './lossView';
import { ScenarioError } from './problems';
import { describeValue, type FieldReader } from './read';
import { readTensor, type ReadTensor, type TensorSource } from './tensorValue';

export type { LossCellInput };

export const LOSS_FIELDS = [
  'logits',
  'target',
  'weight',
  'ignore_index',
  'reduction',
  'label_smoothing',
  'grad_output',
  'temperature',
  'classes',
  'calibration',
];

async function optionalTensor(f: FieldReader, key: string, source: TensorSource): Promise<ReadTensor | null> {
  const value = f.raw(key);
  return value === undefined || value === null ? null : readTensor(value, f.at(key), source);
}

export async function readLossCell(f: FieldReader, source: TensorSource, dtype: Dtype): Promise<LossCellInput> {
  const logits = await readTensor(f.required('logits', 'the raw scores, e.g. [[2.0, 1.0, 0.1]]'), f.at('logits'), source);
  const target = await readTensor(
    f.required('target', "class indices such as [0, 2], or probabilities of the logits' shape"),
    f.at('target'),
    source,
  );
  const reduction = f.has('reduction') ? f.raw('reduction') : 'mean';
  if (typeof reduction !== 'string')
    throw new ScenarioError(`reduction must be "none", "mean" or "sum", got ${describeValue(reduction)}.`, f.at('reduction'));
  return {
    path: f.path,
    logits,
    target,
    weight: await optionalTensor(f, 'weight', source),
    gradOutput: await optionalTensor(f, 'grad_output', source),
    reduction,
    ...(await readLossOptions(f, source)),
    dtype,
  };
}

/** A loss cell's options after its tensors, read alike whether its logits are held whole or streamed. */
export async function readLossOptions(
  f: FieldReader,
  source: TensorSource,
): Promise<Pick<LossCellInput, 'ignoreIndex' | 'labelSmoothing' | 'temperature' | 'classes' | 'calibration'>> {
  return {
    ignoreIndex: f.integer('ignore_index', -100),
    labelSmoothing: f.float('label_smoothing', 0),
    temperature: f.float('temperature', 1),
    classes: await readClassNames(f, source),
    calibration: readCalibrationOption(f),
  };
}

type Override = Partial<{ logits: Tensor; labelSmoothing: number; temperature: number }>;

function argsOf(input: LossCellInput, override: Override): CrossEntropyArgs {
  return {
    input: override.logits ?? input.logits.tensor,
    target: input.target.tensor,
    weight: input.weight?.tensor ?? null,
    ignoreIndex: input.ignoreIndex,
    reduction: input.reduction,
    labelSmoothing: override.labelSmoothing ?? input.labelSmoothing,
    gradOutput: input.gradOutput?.tensor ?? null,
    temperature: override.temperature ?? input.temperature,
    dtype: input.dtype,
  };
}

/** Runs `compute`, turning cross_entropy's complaint into one that points at the offending JSON value. */
function withPaths<T>(input: LossCellInput, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof LossInputError)) throw error;
    const sources: Record<string, ReadTensor | null> = {
      logits: input.logits,
      target: input.target,
      weight: input.weight,
      grad_output: input.gradOutput,
    };
    const tensorSource = sources[error.field];
    const path = tensorSource ? tensorSource.pathOf(error.index) : [...input.path, error.field];
    throw new ScenarioError(error.message, path);
  }
}

/** What sweeps need to know of a loss cell, kept per cell input so it is worked out once. */
export type LossFacts = Pick<CrossEntropyForward, 'targetKind' | 'layout' | 'ignored'>;
const factsOf = new WeakMap<LossCellInput, LossFacts>();

function remember<R extends LossFacts>(input: LossCellInput, result: R): R {
  if (!factsOf.has(input)) factsOf.set(input, { targetKind: result.targetKind, layout: result.layout, ignored: result.ignored });
  return result;
}

/** Runs cross_entropy (forward and backward) on the cell's inputs, optionally with some of them replaced (for sweeps). */
export function evaluateLoss(input: LossCellInput, override: Override = {}): CrossEntropyResult {
  return remember(
    input,
    withPaths(input, () => crossEntropy(argsOf(input, override))),
  );
}

/** The forward pass only: sweep points that need no gradient. */
export function evaluateLossForward(input: LossCellInput, override: Override = {}): CrossEntropyForward {
  return withPaths(input, () => crossEntropyForward(argsOf(input, override)));
}

/** Checks the cell (throwing its error) and gives what sweeps need, evaluating at most once per cell input. */
export function lossFacts(input: LossCellInput): LossFacts {
  return factsOf.get(input) ?? remember(input, evaluateLossForward(input));
}

/** The loss at any label_smoothing, computing log_softmax once (null for probability targets). */
export function lossOverSmoothing(input: LossCellInput): ((labelSmoothing: number) => Tensor) | null {
  const at = withPaths(input, () => lossOverLabelSmoothing(argsOf(input, {})));
  return at && ((labelSmoothing) => withPaths(input, () => at(labelSmoothing)));
}

function warningsOf(input: LossCellInput, result: CrossEntropyResult): Problem[] {
  const warnings: Problem[] = [];
  if (input.labelSmoothing < 0) {
    warnings.push({
      message: `label_smoothing is ${input.labelSmoothing}: PyTorch accepts a negative value but smooths nothing (only values > 0 smooth).`,
      path: [...input.path, 'label_smoothing'],
    });
  }
  if (result.targetKind === 'probs') {
    const L = result.layout;
    const y = input.target.tensor.data;
    for (let e = 0; e < L.outer * L.inner; e++) {
      let total = 0;
      let negative = false;
      for (let c = 0; c < L.classes; c++) {
        total += y[at(L, e, c)];
        negative ||= y[at(L, e, c)] < 0;
      }
      if (negative || Math.abs(total - 1) > 1e-6) {
        warnings.push({
          message: `Probability target ${e} ${negative ? 'has negative entries' : `sums to ${total}, not 1`}; PyTorch computes it as written.`,
          path: input.target.pathOf(input.target.tensor.shape.length > 1 ? [Math.floor(e / L.inner)] : []),
        });
        break;
      }
    }
  }
  return warnings;
}

/** A tensor the result keeps: its own copy of the shape, and a buffer holding just its values (a view into a larger one would be copied whole between threads). */
function resultTensor(t: Tensor): ResultTensor {
  const data = t.data.byteLength === t.data.buffer.byteLength ? t.data : t.data.slice();
  return { shape: [...t.shape], data };
}

/** What the cell's calibration option asks of its rows (the cell is evaluated once to know them); an explicit request they cannot serve throws. */
export function calibrationPlanOf(input: LossCellInput): CalibrationPlan {
  const facts = lossFacts(input);
  const elements = facts.layout.outer * facts.layout.inner;
  const counted = facts.ignored.reduce((n: number, v) => n + (v ? 0 : 1), 0);
  return calibrationPlan(input.calibration, { targetKind: facts.targetKind, elements, counted });
}

/** The cell's calibration, the reason an automatic one is absent, or null; an explicit request its rows cannot serve throws. */
function cellCalibration(input: LossCellInput, view: LossView): Calibration | { absent: string } | null {
  const { targetIndex, ignored, normalisation } = view;
  const plan = calibrationPlan(input.calibration, { targetKind: view.targetKind, elements: normalisation.elements, counted: normalisation.counted });
  if (!plan || 'absent' in plan) return plan;
  if (!targetIndex) return null;
  const classIndex = Int32Array.from(targetIndex, (t, e) => (ignored[e] ? -1 : t));
  return wholeCalibration(input.logits.tensor, classIndex, input.temperature, plan.bins, input.dtype);
}

export function lossCellResult(
  id: string,
  title: string | undefined,
  input: LossCellInput,
  result: CrossEntropyResult,
  extraWarnings: Problem[],
): LossResult {
  const L = result.layout;
  if (input.classes && input.classes.length !== L.classes) {
    throw new ScenarioError(`classes names ${input.classes.length} classes but the logits have ${L.classes}.`, [...input.path, 'classes']);
  }
  const view = lossView(input, result);
  const calibration = cellCalibration(input, view);
  if (calibration && 'absent' in calibration) view.calibrationAbsent = calibration.absent;
  return {
    id,
    type: 'loss',
    ok: true,
    ...(title === undefined ? {} : { title }),
    loss: toNested(result.loss),
    per_sample: toNested(result.perElement),
    probs: resultTensor(result.probs),
    log_probs: resultTensor(result.logProbs),
    grad: resultTensor(result.grad),
    ...(calibration && !('absent' in calibration) ? { calibration } : {}),
    warnings: [...extraWarnings, ...warningsOf(input, result)],
    view,
  };
}

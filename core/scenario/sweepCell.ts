// A `sweep` cell: one knob of a loss cell over a grid, the loss (and the
// swept logit's gradient) at each point.
import { assertNever } from '../assertNever';
import type { EngineEvent } from '../events';
import { checkLimit, formatCount, type Budget } from '../limits';
import { DEFAULT_BINS } from '../calibration/calibrationOption';
import { figuresAt } from '../calibration/wholeCalibration';
import type { JsonPath, Nested, SweepResult } from '../results';
import { formatShape, numel, toNested, type Tensor } from '../tensor';
import { at } from '../compute/layout';
import { evaluateLoss, evaluateLossForward, lossFacts, lossOverSmoothing, type LossCellInput } from './lossCell';
import { ScenarioError } from './problems';
import { atLeast, type FieldReader } from './read';

/** Roughly the multiply-adds of one loss evaluation per logit (softmax, loss and gradient). */
const SWEEP_WORK_PER_ELEMENT = 10;

export type SweepParam = { kind: 'label_smoothing' } | { kind: 'temperature' } | { kind: 'margin' } | { kind: 'logit'; offset: number };

/** torch.linspace(from, to, steps), computed from both ends as PyTorch does. */
export function linspace(from: number, to: number, steps: number): number[] {
  if (steps === 1) return [from];
  const step = (to - from) / (steps - 1);
  const halfway = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => (i < halfway ? from + step * i : to - step * (steps - i - 1)));
}

export function parseSweepParam(text: string, logits: Tensor, f: FieldReader): SweepParam {
  if (text === 'label_smoothing' || text === 'temperature' || text === 'margin') return { kind: text };
  const match = /^logit((?:\[\d+\])+)$/.exec(text);
  if (!match) {
    throw new ScenarioError(`param must be "label_smoothing", "temperature", "margin" or "logit[i][c]"; got ${JSON.stringify(text)}.`, f.at('param'));
  }
  const index = [...match[1].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const shape = logits.shape;
  if (index.length !== shape.length || index.some((v, d) => v >= shape[d])) {
    throw new ScenarioError(`${text} is not an element of the logits, whose shape is ${formatShape(shape)}.`, f.at('param'));
  }
  const offset = index.reduce((acc, v, d) => acc + v * numel(shape.slice(d + 1)), 0);
  return { kind: 'logit', offset };
}

function currentValue(param: SweepParam, input: LossCellInput): number {
  switch (param.kind) {
    case 'label_smoothing':
      return input.labelSmoothing;
    case 'temperature':
      return input.temperature;
    case 'margin':
      return 0;
    case 'logit':
      return input.logits.tensor.data[param.offset];
    default:
      return assertNever(param, 'sweep parameter');
  }
}

/** The loss (and the swept logit's gradient) at one point, and the logits and temperature it used where they differ from the cell's. */
type PointEvaluator = (value: number) => { loss: Nested; grad: number | null; logits?: Tensor; temperature?: number };

function prepare(param: SweepParam, input: LossCellInput): PointEvaluator {
  const written = input.logits.tensor;
  switch (param.kind) {
    case 'label_smoothing': {
      const lossAt = lossOverSmoothing(input);
      if (lossAt) return (value) => ({ loss: toNested(lossAt(value)), grad: null });
      return (value) => ({ loss: toNested(evaluateLossForward(input, { labelSmoothing: value }).loss), grad: null });
    }
    case 'temperature':
      return (value) => ({ loss: toNested(evaluateLossForward(input, { temperature: value }).loss), grad: null, temperature: value });
    case 'logit':
      return (value) => {
        const logits = { shape: written.shape, data: written.data.slice() };
        logits.data[param.offset] = value;
        const result = evaluateLoss(input, { logits });
        return { loss: toNested(result.loss), grad: result.grad.data[param.offset], logits };
      };
    case 'margin': {
      // Add the value to the target-class logit of every non-ignored element.
      const { layout, ignored } = lossFacts(input);
      const target = input.target.tensor.data;
      return (value) => {
        const logits = { shape: written.shape, data: written.data.slice() };
        for (let e = 0; e < layout.outer * layout.inner; e++) {
          if (!ignored[e]) logits.data[at(layout, e, target[e])] += value;
        }
        return { loss: toNested(evaluateLossForward(input, { logits }).loss), grad: null, logits };
      };
    }
    default:
      return assertNever(param, 'sweep parameter');
  }
}

/** The bins of a sweep's ECE: the loss cell's calibration bins, else the default. */
export const sweepEceBins = (input: LossCellInput): number => (input.calibration.kind === 'asked' ? input.calibration.bins : DEFAULT_BINS);

/** The ECE at each point's logits and temperature (`"ece": true`), over the loss cell's calibration bins (15 unless it asks for others). */
function sweepEce(input: LossCellInput, path: JsonPath): (logits: Tensor, temperature: number) => number {
  const { targetKind, ignored } = lossFacts(input);
  if (targetKind !== 'index') throw new ScenarioError('"ece" needs class-index targets: calibration compares the top class with the label.', path);
  const target = input.target.tensor.data;
  const classIndex = Int32Array.from(ignored, (skip, e) => (skip ? -1 : target[e]));
  if (!classIndex.some((t) => t >= 0)) throw new ScenarioError('"ece" needs counted rows: every row is at ignore_index.', path);
  const bins = sweepEceBins(input);
  return (logits, temperature) => figuresAt(logits, classIndex, temperature, bins, input.dtype).ece;
}

export async function* runSweep(
  f: FieldReader,
  index: number,
  id: string,
  title: string | undefined,
  input: LossCellInput,
  budget: Budget,
  cancelled: () => boolean,
): AsyncGenerator<EngineEvent, SweepResult | null> {
  const paramText = f.string('param', '');
  if (!f.has('param')) throw new ScenarioError('Missing "param": "label_smoothing", "temperature", "margin" or "logit[i][c]".', f.path);
  const param = parseSweepParam(paramText, input.logits.tensor, f);
  const from = f.requiredFloat('from');
  const to = f.requiredFloat('to');
  const steps = f.integer('steps', 21, atLeast(1));
  checkLimit(budget.limits, 'maxSweepSteps', steps, 'This sweep has', f.at('steps'));
  const elements = input.logits.tensor.data.length;
  budget.chargeWork(
    SWEEP_WORK_PER_ELEMENT * steps * elements,
    `This sweep (${formatCount(steps)} points × ${formatCount(elements)} logits × ${SWEEP_WORK_PER_ELEMENT})`,
    f.at('steps'),
  );
  // Reduction "none" keeps one loss per element (all logits but the class dimension) at every point.
  const classes = input.logits.tensor.shape.length === 1 ? elements : input.logits.tensor.shape[1];
  const lossSize = input.reduction === 'none' && classes > 0 ? elements / classes : 1;
  budget.chargeElements(steps * lossSize, f.at('steps'), `With the loss at ${formatCount(steps)} points (${formatCount(lossSize)} values each),`);
  if (param.kind === 'margin' && lossFacts(input).targetKind !== 'index') {
    throw new ScenarioError('"margin" sweeps need class-index targets: it adds to the target-class logit of each sample.', f.at('param'));
  }
  const eceAt = f.boolean('ece', false) ? sweepEce(input, f.at('ece')) : null;
  const values = linspace(from, to, steps);
  const evaluateAt = prepare(param, input);
  const loss: Nested[] = [];
  const grad: number[] = [];
  const ece: number[] = [];
  for (const [point, value] of values.entries()) {
    if (cancelled()) return null;
    let at: ReturnType<PointEvaluator>;
    try {
      at = evaluateAt(value);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      throw new ScenarioError(`At ${paramText} = ${value}: ${error.message}`, f.at(value === from ? 'from' : 'to'));
    }
    loss.push(at.loss);
    if (at.grad !== null) grad.push(at.grad);
    if (eceAt) ece.push(eceAt(at.logits ?? input.logits.tensor, at.temperature ?? input.temperature));
    yield { kind: 'sweep-point', index, id, point, value, loss: at.loss, grad: at.grad };
  }
  return {
    id,
    type: 'sweep',
    ok: true,
    ...(title === undefined ? {} : { title }),
    param: paramText,
    values,
    loss,
    grad: param.kind === 'logit' ? grad : null,
    ...(eceAt ? { ece } : {}),
    warnings: [],
    view: { of: f.string('of', ''), current: currentValue(param, input) },
  };
}

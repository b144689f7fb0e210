// PyTorch's training loop: for each step, the loss of the batch is computed
// with the current parameters and recorded, then backward, then the optimizer step.
import { rounding } from '../dtype';
import type { Dtype, LayerParams } from '../results';
import { tensor } from '../tensor';
import type { ActivationName } from './activations';
import { crossEntropy } from './crossEntropy';
import { backward, forward, mlpFromParams, mlpParams, type Mlp } from './mlp';
import { makeOptimizer, type OptimizerOptions } from './optimizers';

export interface LossOptions {
  weight: number[] | null;
  ignoreIndex: number;
  reduction: 'mean' | 'sum';
  labelSmoothing: number;
}

export interface TrainSpec {
  init: LayerParams[];
  activation: ActivationName;
  /** N rows of `inFeatures` inputs. */
  x: number[][];
  target: number[];
  optimizer: OptimizerOptions;
  loss: LossOptions;
  steps: number;
  batchSize: number | null;
  /** Draws a permutation of 0..n-1 for each epoch; null keeps rows in order. */
  shuffle: ((n: number) => number[]) | null;
  dtype: Dtype;
}

export interface StepRecord {
  step: number;
  loss: number;
  accuracy: number;
}

export interface Trainer {
  readonly model: Mlp;
  /** Runs one optimizer step and returns what was recorded before the update. */
  step(): StepRecord;
  /** Softmax of the current model on rows of x. */
  probabilities(x: number[][]): number[][];
  params(): LayerParams[];
}

/** Fraction of non-ignored rows whose first maximal logit is the target. */
function accuracyOf(logits: Float64Array, target: readonly number[], classes: number, ignoreIndex: number): number {
  let correct = 0;
  let counted = 0;
  target.forEach((t, r) => {
    if (t === ignoreIndex) return;
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
    counted += 1;
    if (best === t) correct += 1;
  });
  return correct / counted;
}

/** Rows of step s: [(s·B) mod N, (s·B) mod N + B), cut at N, in order or in that epoch's permutation. */
function batchRows(step: number, n: number, batchSize: number | null, permutation: (epoch: number) => number[] | null): number[] {
  if (batchSize === null) return Array.from({ length: n }, (_, i) => i);
  const start = (step * batchSize) % n;
  const order = permutation(Math.floor((step * batchSize) / n));
  const rows: number[] = [];
  for (let i = start; i < Math.min(start + batchSize, n); i++) rows.push(order ? order[i] : i);
  return rows;
}

export function makeTrainer(spec: TrainSpec): Trainer {
  const round = rounding(spec.dtype);
  const model = mlpFromParams(spec.init, spec.activation, round);
  const optimizer = makeOptimizer(spec.optimizer, round);
  const classes = model.layers[model.layers.length - 1].outFeatures;
  const n = spec.x.length;
  const permutations = new Map<number, number[]>();
  const permutation = (epoch: number) => {
    if (!spec.shuffle) return null;
    if (!permutations.has(epoch)) {
      permutations.clear();
      permutations.set(epoch, spec.shuffle(n));
    }
    return permutations.get(epoch)!;
  };
  const weight = spec.loss.weight ? tensor([classes], spec.loss.weight) : null;
  let stepIndex = 0;

  const logitsOf = (x: number[][]) => forward(model, Float64Array.from(x.flat(), round), x.length, round);

  return {
    model,
    step() {
      const rows = batchRows(stepIndex, n, spec.batchSize, permutation);
      const target = rows.map((r) => spec.target[r]);
      const trace = logitsOf(rows.map((r) => spec.x[r]));
      const result = crossEntropy({
        input: tensor([rows.length, classes], trace.logits),
        target: tensor([rows.length], target),
        weight,
        ignoreIndex: spec.loss.ignoreIndex,
        reduction: spec.loss.reduction,
        labelSmoothing: spec.loss.labelSmoothing,
        dtype: spec.dtype,
      });
      const record = { step: stepIndex, loss: result.loss.data[0], accuracy: accuracyOf(trace.logits, target, classes, spec.loss.ignoreIndex) };
      const grads = backward(model, trace, Float64Array.from(result.grad.data), round);
      optimizer.step(
        model.layers.flatMap((l) => [l.weight, l.bias]),
        grads.flatMap((g) => [g.weight, g.bias]),
      );
      stepIndex += 1;
      return record;
    },
    probabilities(x) {
      const logits = logitsOf(x).logits;
      const probs = crossEntropy({
        input: tensor([x.length, classes], logits),
        target: tensor([x.length], new Array(x.length).fill(0)),
        dtype: spec.dtype,
      }).probs.data;
      return Array.from({ length: x.length }, (_, r) => Array.from(probs.subarray(r * classes, (r + 1) * classes)));
    },
    params: () => mlpParams(model),
  };
}

// PyTorch's training loop: for each step, the loss of the batch is computed
// with the current parameters and recorded, then backward, then the optimizer step.
import type { Dtype, LayerParams } from '../results';
import { tensor, type Tensor } from '../tensor';
import type { ActivationName } from '../compute/activations';
import { carveArena } from './arena';
import { crossEntropy } from './crossEntropy';
import { backward, forward, loadParams, mlpParams, parameterCount, takeMlp } from './mlp';
import { makeOptimizer, type OptimizerOptions } from './optimizers';
import type { FloatArray } from '../compute/kernelSet';

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
  /** Runs one optimizer step and returns what was recorded before the update. */
  step(): StepRecord;
  /** Softmax of the current model on rows of x. */
  probabilities(x: readonly (readonly number[])[]): number[][];
  params(): LayerParams[];
}

/** Rows a forward takes at once at least (the decision grid's 1600 points go in a few chunks). */
const MIN_CAPACITY = 512;

/** Fraction of non-ignored rows whose first maximal logit is the target. */
function accuracyOf(logits: FloatArray, target: Tensor, classes: number, ignoreIndex: number): number {
  let correct = 0;
  let counted = 0;
  for (let r = 0; r < target.data.length; r++) {
    const t = target.data[r];
    if (t === ignoreIndex) continue;
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
    counted += 1;
    if (best === t) correct += 1;
  }
  return correct / counted;
}

/**
 * Rows of step s: [(s·B) mod N, (s·B) mod N + B), cut at N, in order or in that
 * epoch's permutation; null when that is every row in order.
 */
function batchRows(step: number, n: number, batchSize: number | null, permutation: (epoch: number) => number[] | null): number[] | null {
  const size = batchSize ?? n;
  const start = (step * size) % n;
  const order = permutation(Math.floor((step * size) / n));
  if (!order && start === 0 && size >= n) return null;
  const rows: number[] = [];
  for (let i = start; i < Math.min(start + size, n); i++) rows.push(order ? order[i] : i);
  return rows;
}

/** A trainer on the active kernel set (compute/registry.ts). */
export function makeTrainer(spec: TrainSpec): Trainer {
  const widths = [spec.init[0]?.weight[0]?.length ?? 0, ...spec.init.map((p) => p.bias.length)];
  const [inFeatures, classes] = [widths[0], widths[widths.length - 1]];
  const n = spec.x.length;
  const capacity = Math.max(Math.min(spec.batchSize ?? n, n), MIN_CAPACITY);
  const { kernels, buffers } = carveArena(spec.dtype, (take) => {
    const model = takeMlp(take, widths, spec.activation, capacity);
    return {
      model,
      optimizer: makeOptimizer(spec.optimizer, spec.dtype, take, parameterCount(widths)),
      data: take(n * inFeatures),
      rows: take(capacity * inFeatures),
    };
  });
  const { model, optimizer, data, rows: rowBuffer } = buffers;
  loadParams(model, spec.init);
  data.set(spec.x.flat());
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
  const fullTarget = tensor([n], spec.target);
  let stepIndex = 0;

  /** The batch's inputs and targets: the data itself for every row in order, else its rows copied out. */
  const gather = (rows: number[] | null): { x: FloatArray; target: Tensor } => {
    if (!rows) return { x: data, target: fullTarget };
    rows.forEach((r, i) => rowBuffer.set(data.subarray(r * inFeatures, (r + 1) * inFeatures), i * inFeatures));
    return {
      x: rowBuffer,
      target: tensor(
        [rows.length],
        rows.map((r) => spec.target[r]),
      ),
    };
  };

  const softmax = (logits: FloatArray, count: number) =>
    crossEntropy({ input: { shape: [count, classes], data: logits }, target: tensor([count]), dtype: spec.dtype }).probs.data;

  return {
    step() {
      const rows = batchRows(stepIndex, n, spec.batchSize, permutation);
      const { x, target } = gather(rows);
      const count = target.data.length;
      const logits = forward(kernels, model, x, count);
      const result = crossEntropy({
        // The arena's own view, already in dtype: no copy.
        input: { shape: [count, classes], data: logits },
        target,
        weight,
        ignoreIndex: spec.loss.ignoreIndex,
        reduction: spec.loss.reduction,
        labelSmoothing: spec.loss.labelSmoothing,
        dtype: spec.dtype,
      });
      const record = { step: stepIndex, loss: result.loss.data[0], accuracy: accuracyOf(logits, target, classes, spec.loss.ignoreIndex) };
      model.deltas[0].set(result.grad.data);
      backward(kernels, model, x, count);
      optimizer.step(kernels, model.params, model.grads);
      stepIndex += 1;
      return record;
    },
    probabilities(x) {
      const out: number[][] = [];
      for (let start = 0; start < x.length; start += capacity) {
        const count = Math.min(capacity, x.length - start);
        rowBuffer.set(x.slice(start, start + count).flat());
        const probs = softmax(forward(kernels, model, rowBuffer, count), count);
        for (let r = 0; r < count; r++) out.push(Array.from(probs.subarray(r * classes, (r + 1) * classes)));
      }
      return out;
    },
    params: () => mlpParams(model),
  };
}

// torch.nn.functional.cross_entropy's argument checks, in PyTorch's order and
// (where it has them) its own words; shared by the whole-tensor and streamed passes.
import { kernels } from '../compute/registry';
import type { Round } from '../dtype';
import type { Reduction } from '../results';
import { formatShape, sameShape, tensor, unravel, type Tensor } from '../tensor';
import { LossInputError, torchMessages } from './lossErrors';

const REDUCTIONS: readonly string[] = ['none', 'mean', 'sum'];

export function checkReduction(reduction: string): asserts reduction is Reduction {
  if (!REDUCTIONS.includes(reduction)) {
    throw new LossInputError(`${reduction} is not a valid value for reduction (expected "none", "mean" or "sum").`, 'reduction');
  }
}

export function checkWeight(weight: Tensor | null, classes: number): void {
  if (weight && (weight.shape.length !== 1 || weight.shape[0] !== classes)) {
    throw new LossInputError(torchMessages.weightShape(classes, weight.shape), 'weight');
  }
}

export function checkLabelSmoothing(ls: number): void {
  if (ls > 1 || Number.isNaN(ls)) {
    throw new LossInputError(torchMessages.labelSmoothing(ls), 'label_smoothing');
  }
}

/** The shape checks of PyTorch's nll_loss_nd / nll_loss / nll_loss2d, in its order. */
export function checkIndexTargetShape(inputShape: readonly number[], targetShape: readonly number[]): void {
  const dim = inputShape.length;
  if (dim !== 1) {
    if (targetShape.length === 0) {
      throw new LossInputError(
        `Expected input batch_size (${inputShape[0]}) to match target batch_size, but the target is a single number; write one class index per sample.`,
        'target',
      );
    }
    if (inputShape[0] !== targetShape[0]) {
      throw new LossInputError(`${torchMessages.batchSize(inputShape[0], targetShape[0])}.`, 'target');
    }
  }
  if (dim <= 2) {
    if (targetShape.length > 1) {
      throw new LossInputError('0D or 1D target tensor expected, multi-target not supported', 'target');
    }
    const noBatchDim = dim === 1 && targetShape.length === 0;
    if (!noBatchDim && inputShape[0] !== targetShape[0]) {
      throw new LossInputError(
        `size mismatch (got input: ${formatShape(inputShape)}, target: ${formatShape(targetShape)}): an unbatched input of C scores takes a single class index.`,
        'target',
      );
    }
    return;
  }
  if (dim === 4) {
    // nll_loss2d's own checks.
    if (targetShape.length !== 3) {
      throw new LossInputError(
        `only batches of spatial targets supported (3D tensors) but got targets of dimension: ${targetShape.length}`,
        'target',
      );
    }
    if (!sameShape(targetShape.slice(1), inputShape.slice(2))) {
      throw new LossInputError(`size mismatch (got input: ${formatShape(inputShape)}, target: ${formatShape(targetShape)})`, 'target');
    }
    return;
  }
  if (!sameShape(targetShape.slice(1), inputShape.slice(2))) {
    const expected = [inputShape[0], ...inputShape.slice(2)];
    throw new LossInputError(`Expected target size ${formatShape(expected)}, got ${formatShape(targetShape)}`, 'target');
  }
}

/** Class indices must be integers in [0, C) unless equal to ignore_index. Returns them as int32, −1 where ignored. */
export function checkIndexTargetValues(target: Tensor, classes: number, ignoreIndex: number): { classIndex: Int32Array; ignoredCount: number } {
  const classIndex = new Int32Array(target.data.length);
  const ignoredCount = kernels().classIndices(target.data, classes, ignoreIndex, classIndex);
  if (ignoredCount < 0) throw targetValueError(target, classes, ignoreIndex);
  return { classIndex, ignoredCount };
}

/** The error for the first target that is neither ignore_index nor a class index in [0, classes). */
function targetValueError(target: Tensor, classes: number, ignoreIndex: number): LossInputError {
  const e = target.data.findIndex((t) => t !== ignoreIndex && !(Number.isInteger(t) && t >= 0 && t < classes));
  const t = target.data[e];
  const path = unravel(e, target.shape);
  if (!Number.isInteger(t)) {
    return new LossInputError(
      `Target ${t} is not a class index: class-index targets must be integers (a target with the logits' shape would be read as probabilities).`,
      'target',
      path,
    );
  }
  return new LossInputError(`${torchMessages.targetOutOfBounds(t, classes)} (${classes} classes); ignore_index is ${ignoreIndex}.`, 'target', path);
}

export function checkTemperature(temperature: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new LossInputError(`temperature must be a positive number, got ${temperature}.`, 'temperature');
  }
}

export function checkHasClassDimension(shape: readonly number[]): void {
  if (shape.length === 0) throw new LossInputError('Expected 1 or more dimensions (got 0): logits need a class dimension.', 'logits');
}

/**
 * The upstream gradient in the loss's shape. Like autograd, a grad_output the loss
 * shape can be expanded to (e.g. [g] for a scalar loss) is summed back down to it.
 */
export function gradOutputFor(gradOutput: Tensor | null, expected: number[], round: Round): Tensor | null {
  if (!gradOutput) return null;
  const given = gradOutput.shape;
  const lead = given.length - expected.length;
  const expandable = lead >= 0 && expected.every((d, i) => d === given[lead + i] || d === 1);
  if (!expandable) {
    throw new LossInputError(
      `grad_output must have the loss's shape ${formatShape(expected)} (PyTorch: "Mismatch in shape"), got ${formatShape(given)}.`,
      'grad_output',
    );
  }
  const out = tensor(expected);
  for (let offset = 0; offset < gradOutput.data.length; offset++) {
    const index = unravel(offset, given).slice(lead);
    const target = index.reduce((acc, v, d) => acc * expected[d] + (expected[d] === 1 ? 0 : v), 0);
    out.data[target] += gradOutput.data[offset];
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = round(out.data[i]);
  return out;
}

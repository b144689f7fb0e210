// torch.nn.functional.cross_entropy's arguments: what a call gives, and what the
// passes work from once PyTorch's checks (crossEntropyChecks.ts) have passed, in
// its order: the defaults applied, the layout, the targets as the kernels read
// them, and the tensors in the run's dtype.
import { inDtype, type FloatArray } from '../compute/kernelSet';
import { layoutOf, type ClassLayout } from '../compute/layout';
import { rounding } from '../dtype';
import type { Dtype, Reduction } from '../results';
import { sameShape, type Tensor } from '../tensor';
import {
  checkHasClassDimension,
  checkIndexTargetShape,
  checkIndexTargetValues,
  checkLabelSmoothing,
  checkReduction,
  checkTemperature,
  checkWeight,
  gradOutputFor,
} from './crossEntropyChecks';
import { lossShape } from './crossEntropyReduction';
import { LossInputError } from './lossErrors';

export interface CrossEntropyArgs {
  input: Tensor;
  /** Class indices, or probabilities when it has exactly the input's shape (PyTorch's rule). */
  target: Tensor;
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: string;
  labelSmoothing?: number;
  /** The gradient handed to backward(): the loss's shape; null means ones. */
  gradOutput?: Tensor | null;
  /** Logits are divided by it first; 1 is exactly PyTorch. */
  temperature?: number;
  dtype: Dtype;
}

/** Class-index targets as the kernels read them (−1 where ignored). */
export interface IndexTargets {
  kind: 'index';
  classIndex: Int32Array;
  ignoredCount: number;
}

/** The targets checked: class indices, or probabilities in the run's dtype. */
export type CheckedTargets = IndexTargets | { kind: 'probs'; y: FloatArray };

/** A call's arguments, checked. */
export interface CheckedArgs {
  dtype: Dtype;
  reduction: Reduction;
  layout: ClassLayout;
  /** The input's shape, and its logits in dtype divided by the temperature. */
  shape: number[];
  x: FloatArray;
  temperature: number;
  targets: CheckedTargets;
  weight: FloatArray | null;
  /** Label smoothing as applied: PyTorch applies it only when it is > 0 (a negative value is accepted and ignored). */
  labelSmoothing: number;
  /** The upstream gradient in the loss's shape; null means ones. */
  gradOutput: Tensor | null;
}

/** PyTorch's argument checks in its order (throwing LossInputError at the first that fails), then the arguments read. */
export function checkArgs(args: CrossEntropyArgs): CheckedArgs {
  const { dtype, input, target } = args;
  const reduction = args.reduction ?? 'mean';
  const ignoreIndex = args.ignoreIndex ?? -100;
  const requestedSmoothing = args.labelSmoothing ?? 0;
  const temperature = args.temperature ?? 1;
  const weight = args.weight ?? null;

  checkReduction(reduction);
  checkTemperature(temperature);
  checkHasClassDimension(input.shape);
  const layout = layoutOf(input.shape);
  const probs = sameShape(input.shape, target.shape);
  if (probs) {
    if (ignoreIndex >= 0) throw new LossInputError('ignore_index is not supported for floating point target', 'ignore_index');
    checkWeight(weight, layout.classes);
    checkLabelSmoothing(requestedSmoothing);
  } else {
    checkLabelSmoothing(requestedSmoothing);
    checkIndexTargetShape(input.shape, target.shape);
    checkWeight(weight, layout.classes);
  }
  const targets: CheckedTargets = probs
    ? { kind: 'probs', y: inDtype(target.data, dtype) }
    : { kind: 'index', ...checkIndexTargetValues(target, layout.classes, ignoreIndex) };
  const gradOutput = gradOutputFor(args.gradOutput ?? null, reduction === 'none' ? lossShape(input.shape) : [], rounding(dtype));

  const logits = inDtype(input.data, dtype);
  return {
    dtype,
    reduction,
    layout,
    shape: input.shape,
    x: temperature === 1 ? logits : logits.map((v) => v / temperature),
    temperature,
    targets,
    weight: weight ? inDtype(weight.data, dtype) : null,
    labelSmoothing: requestedSmoothing > 0 ? requestedSmoothing : 0,
    gradOutput,
  };
}

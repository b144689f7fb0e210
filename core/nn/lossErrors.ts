// An input that torch.nn.functional.cross_entropy rejects. `field` names the
// argument at fault and `index` the element inside it, so the scenario layer
// can point at the exact JSON value. PyTorch's own messages are written once
// here, for loss cells and for the loss of a train cell.
import { formatShape } from '../tensor';
export type LossField = 'logits' | 'target' | 'weight' | 'reduction' | 'label_smoothing' | 'ignore_index' | 'grad_output' | 'temperature';

export class LossInputError extends Error {
  constructor(
    message: string,
    readonly field: LossField,
    readonly index: number[] = [],
  ) {
    super(message);
  }
}

export const torchMessages = {
  weightShape: (classes: number, shape: readonly number[]) =>
    `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${formatShape(shape)}`,
  labelSmoothing: (value: number) => `label_smoothing must be between 0.0 and 1.0. Got: ${value}`,
  /** Without a final period: callers add what the user can do about it. */
  batchSize: (input: number, target: number | string) => `Expected input batch_size (${input}) to match target batch_size (${target})`,
  targetOutOfBounds: (target: number, classes: number) => `Target ${target} is out of bounds. Class indices run from 0 to ${classes - 1}`,
};

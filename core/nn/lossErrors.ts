// An input that torch.nn.functional.cross_entropy rejects. `field` names the
// argument at fault and `index` the element inside it, so the scenario layer
// can point at the exact JSON value.
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

// Writes golden PyTorch cases as .ce.json scenarios, the way a user would, so
// the whole path JSON → engine → CLI document is checked.
import type { GoldenLossCase, GoldenTrainCase } from './golden';

type Dtype = 'float32' | 'float64';

/** Non-finite numbers as the strings the scenario format accepts. */
function encode(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

export function lossScenario(c: GoldenLossCase, dtype: Dtype): object {
  return {
    version: 1,
    dtype,
    cells: [
      {
        type: 'loss',
        id: c.name,
        logits: encode(c.input),
        target: encode(c.target),
        weight: c.weight,
        ignore_index: c.ignore_index,
        reduction: c.reduction,
        label_smoothing: c.label_smoothing,
        grad_output: c.upstream === null ? null : encode(c.upstream),
      },
    ],
  };
}

export function trainScenario(c: GoldenTrainCase, dtype: Dtype): object {
  return {
    version: 1,
    dtype,
    cells: [
      {
        type: 'train',
        id: c.name,
        model: {
          layers: [c.layers[0][0], ...c.layers.map((l) => l[1])],
          ...(c.activation ? { activation: c.activation } : {}),
          init: { params: c.init },
        },
        data: { x: c.x, target: c.target },
        optimizer: c.optimizer,
        loss: c.loss,
        steps: c.steps,
        batch_size: c.batch_size,
      },
    ],
  };
}

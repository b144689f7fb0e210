// A `train` cell: runs the loop step by step, streaming progress (losses,
// accuracy and, for 2-D inputs, the decision boundary) and ending with the result.
import type { EngineEvent } from '../events';
import { LossInputError } from '../nn/lossErrors';
import { makeTrainer, type Trainer } from '../nn/train';
import type { DecisionGrid, Dtype, TrainResult } from '../results';
import { ScenarioError } from './problems';
import type { FieldReader } from './read';
import { generatorFor, permutation } from './seeding';
import type { TensorSource } from './tensorValue';
import { argmax } from '../argmax';
import { readTrainInputs } from './trainInputs';

export interface TrainControls {
  cancelled: () => boolean;
  /** Awaited before each step (Pause / Step). */
  beforeStep?: () => Promise<void>;
  progressIntervalMs: number;
  now: () => number;
}

const GRID_SIZE = 40;

interface GridPoints {
  bounds: Pick<DecisionGrid, 'xMin' | 'xMax' | 'yMin' | 'yMax'>;
  points: number[][];
}

/** A 40×40 grid covering the data (10% margin): fixed for the run, so laid out once. */
function gridOver(x: number[][]): GridPoints {
  const pad = (column: number) => {
    // A loop, not Math.min(...values): a spread of many rows overflows the call stack.
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of x) {
      lo = Math.min(lo, row[column]);
      hi = Math.max(hi, row[column]);
    }
    const m = (hi - lo) * 0.1 || 1;
    return [lo - m, hi + m];
  };
  const [xMin, xMax] = pad(0);
  const [yMin, yMax] = pad(1);
  const points: number[][] = [];
  for (let j = 0; j < GRID_SIZE; j++) {
    for (let i = 0; i < GRID_SIZE; i++) {
      points.push([xMin + ((i + 0.5) * (xMax - xMin)) / GRID_SIZE, yMin + ((j + 0.5) * (yMax - yMin)) / GRID_SIZE]);
    }
  }
  return { bounds: { xMin, xMax, yMin, yMax }, points };
}

/** The model's most likely class and its probability at each grid point. */
function decisionGrid(trainer: Trainer, grid: GridPoints): DecisionGrid {
  const probs = trainer.probabilities(grid.points);
  const top = probs.map((row) => argmax(row));
  return { ...grid.bounds, size: GRID_SIZE, argmax: top, confidence: probs.map((p, k) => p[top[k]]) };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function* runTrain(
  f: FieldReader,
  index: number,
  id: string,
  title: string | undefined,
  scenario: { seed: number; dtype: Dtype; source: TensorSource },
  controls: TrainControls,
): AsyncGenerator<EngineEvent, TrainResult | null> {
  const inputs = await readTrainInputs(f, scenario.seed, scenario.source);
  const shuffleGenerator = generatorFor(scenario.source, [...f.path, 'shuffle']);
  const trainer = makeTrainer({
    init: inputs.init,
    activation: inputs.activation,
    x: inputs.data.x,
    target: inputs.data.target,
    optimizer: inputs.optimizer,
    loss: inputs.loss,
    batchSize: inputs.batchSize,
    shuffle: inputs.shuffle ? (n) => permutation(shuffleGenerator, n) : null,
    dtype: scenario.dtype,
  });
  const twoD = inputs.widths[0] === 2;
  const grid = twoD ? gridOver(inputs.data.x) : null;
  const losses: number[] = [];
  const accuracy: number[] = [];
  let reported = 0;
  let lastReport = controls.now();
  for (let s = 0; s < inputs.steps; s++) {
    await controls.beforeStep?.();
    if (controls.cancelled()) return null;
    try {
      const record = trainer.step();
      losses.push(record.loss);
      accuracy.push(record.accuracy);
    } catch (error) {
      if (error instanceof LossInputError) throw new ScenarioError(error.message, [...f.path, 'loss', error.field]);
      throw error;
    }
    const last = s === inputs.steps - 1;
    if (last || controls.now() - lastReport >= controls.progressIntervalMs) {
      yield {
        kind: 'train-progress',
        index,
        id,
        done: s + 1,
        steps: inputs.steps,
        losses: losses.slice(reported),
        accuracy: accuracy.slice(reported),
        boundary: grid ? decisionGrid(trainer, grid) : null,
      };
      reported = losses.length;
      lastReport = controls.now();
      await yieldToEventLoop();
    }
  }
  const classes = inputs.widths[inputs.widths.length - 1];
  return {
    id,
    type: 'train',
    ok: true,
    ...(title === undefined ? {} : { title }),
    losses,
    accuracy,
    final: { params: trainer.params(), probs: trainer.probabilities(inputs.data.x) },
    warnings: inputs.warnings,
    view: {
      classes: Array.from({ length: classes }, (_, c) => String(c)),
      target: inputs.data.target,
      points: twoD ? { x: inputs.data.x, target: inputs.data.target } : null,
      boundary: grid ? decisionGrid(trainer, grid) : null,
    },
  };
}

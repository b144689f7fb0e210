// fast-check generators of cross-entropy loss cells as a user would write them
// in a scenario: every option, every shape PyTorch takes, index and probability
// targets, awkward values, and now and then one mistake PyTorch refuses.
import fc from 'fast-check';

export type Dtype = 'float32' | 'float64';
/** A JSON number, or the strings a scenario uses for non-finite ones. */
export type JsonFloat = number | 'inf' | '-inf' | 'nan';
export type JsonNested = JsonFloat | JsonNested[];

export interface LossCase {
  dtype: Dtype;
  cell: Record<string, unknown>;
  /** The one mistake put in on purpose, if any (PyTorch must refuse it, and so must the engine). */
  fault: Fault | null;
}

const FAULTS = ['target-out-of-range', 'weight-length', 'label-smoothing-above-1', 'reduction', 'batch-size'] as const;
/** One mistake put in on purpose, or ignore_index ≥ 0 with probability targets (which PyTorch refuses). */
type Fault = (typeof FAULTS)[number] | 'ignore-index-with-probabilities';

const SPECIALS: JsonFloat[] = ['inf', '-inf', 'nan', 1e30, -1e30, 3e38, -3e38, 1e300, -1e300, 1e-30, 0];

function nest(shape: readonly number[], values: readonly JsonFloat[]): JsonNested {
  if (shape.length === 0) return values[0];
  const stride = values.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(shape.slice(1), values.slice(i * stride, (i + 1) * stride)));
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const smallShapeArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 6 })).map(([c]) => [c]),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }))
    .map(([n, c, spatial]) => [n, c, ...spatial]),
);

/**
 * Shapes that take the WebAssembly kernels' every path: rows of up to 1,500 classes (four-vector steps,
 * a masked last vector, several 128 KB chunks) and spatial blocks whose positions are not a multiple of
 * the lanes (leftover lanes, vector stores past the last element), up to 60,000 logits.
 */
const largeShapeArb: fc.Arbitrary<number[]> = fc
  .oneof(
    fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 5, max: 1500 })),
    fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 24 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 65 }))
      .map(([n, c, h, w]) => [n, c, h, w]),
  )
  .filter((shape) => count(shape) <= 60_000);

/** Logits at one of three scales, with ±inf / nan / huge / tiny values in one case out of five. */
function logitsArb(n: number): fc.Arbitrary<JsonFloat[]> {
  const scale = fc.constantFrom(1, 1, 1, 30, 1e4);
  const plain = (s: number) => fc.double({ min: -10 * s, max: 10 * s, noNaN: true, noDefaultInfinity: true });
  return fc.tuple(scale, fc.integer({ min: 0, max: 4 })).chain(([s, specialMode]) => {
    const element: fc.Arbitrary<JsonFloat> =
      specialMode === 0 ? fc.oneof({ weight: 12, arbitrary: plain(s) }, { weight: 1, arbitrary: fc.constantFrom(...SPECIALS) }) : plain(s);
    return fc.array(element, { minLength: n, maxLength: n });
  });
}

const gradOutputArb = (n: number) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n });

/** Probabilities per element (rows over C), normalised, or as written (any sign) now and then. */
function probTargetArb(shape: readonly number[]): fc.Arbitrary<JsonFloat[]> {
  const n = count(shape);
  return fc
    .tuple(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
      fc.integer({ min: 0, max: 5 }),
      fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    )
    .map(([raw, mode, free]) => {
      if (mode === 0) return free;
      // Normalise along the class dimension (dim 0 of an unbatched input, else dim 1).
      const classDim = shape.length === 1 ? 0 : 1;
      const classes = shape[classDim];
      const inner = count(shape.slice(classDim + 1));
      const out = raw.slice();
      for (let o = 0; o < n / (classes * inner); o++) {
        for (let i = 0; i < inner; i++) {
          let total = 0;
          for (let c = 0; c < classes; c++) total += raw[(o * classes + c) * inner + i];
          for (let c = 0; c < classes; c++) out[(o * classes + c) * inner + i] = total > 0 ? raw[(o * classes + c) * inner + i] / total : 1 / classes;
        }
      }
      return out;
    });
}

const ignoreIndexArb = (classes: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(-100) },
    { weight: 3, arbitrary: fc.integer({ min: -3, max: classes + 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(1000, -1000) },
  );

const labelSmoothingArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, -0.25) },
);

/** Loss cells of the given shapes, with every option drawn. */
const lossCasesOf = (shapeArb: fc.Arbitrary<number[]>): fc.Arbitrary<LossCase> =>
  fc
    .record({
      dtype: fc.constantFrom<Dtype>('float32', 'float64'),
      shape: shapeArb,
      probs: fc.integer({ min: 0, max: 3 }).map((k) => k === 0),
      reduction: fc.constantFrom('mean', 'sum', 'none', undefined),
      labelSmoothing: labelSmoothingArb,
      weighted: fc.integer({ min: 0, max: 2 }).map((k) => k === 0),
      withGradOutput: fc.integer({ min: 0, max: 3 }).map((k) => k === 0),
      temperature: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.double({ min: 0.1, max: 5, noNaN: true }) }),
      fault: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...FAULTS) }),
    })
    .chain((o) => {
      const classes = o.shape.length === 1 ? o.shape[0] : o.shape[1];
      const lossShape = o.shape.length === 1 ? [] : [o.shape[0], ...o.shape.slice(2)];
      const targetCount = count(lossShape);
      const gradShape = o.reduction === 'none' ? lossShape : [];
      return fc.record({
        o: fc.constant(o),
        logits: logitsArb(count(o.shape)),
        ignoreIndex: ignoreIndexArb(classes),
        indices: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: targetCount, maxLength: targetCount }),
        ignoredMask: fc.array(
          fc.integer({ min: 0, max: 4 }).map((k) => k === 0),
          { minLength: targetCount, maxLength: targetCount },
        ),
        probs: probTargetArb(o.shape),
        weight: fc.array(fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0.1, max: 3, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(0) }), {
          minLength: classes,
          maxLength: classes,
        }),
        gradOutput: gradOutputArb(count(gradShape)),
        badIndex: fc.constantFrom(classes, -1, classes + 7),
      });
    })
    .map(({ o, logits, ignoreIndex: drawnIgnoreIndex, indices, ignoredMask, probs, weight, gradOutput, badIndex }) => {
      const lossShape = o.shape.length === 1 ? [] : [o.shape[0], ...o.shape.slice(2)];
      const cell: Record<string, unknown> = { type: 'loss', id: 'case', logits: nest(o.shape, logits) };
      let ignoreIndex = drawnIgnoreIndex;
      let fault: Fault | null = o.fault;
      if (o.probs) {
        cell.target = nest(o.shape, probs);
        if (fault === 'target-out-of-range' || fault === 'batch-size') fault = null;
      } else {
        const targets = indices.map((t, i) => (ignoreIndex !== undefined && ignoredMask[i] ? ignoreIndex : t));
        if (fault === 'target-out-of-range' && badIndex !== ignoreIndex) targets[0] = badIndex;
        else if (fault === 'target-out-of-range') fault = null;
        let targetShape = lossShape;
        if (fault === 'batch-size' && o.shape.length >= 2) {
          targetShape = [lossShape[0] + 1, ...lossShape.slice(1)];
          targets.push(...targets.slice(0, count(lossShape.slice(1))));
        } else if (fault === 'batch-size') fault = null;
        cell.target = nest(targetShape, targets);
      }
      if (o.probs && ignoreIndex !== undefined && ignoreIndex >= 0) {
        // Keep one mistake per case, so the engine's error can be checked to point at it.
        if (fault === null) fault = 'ignore-index-with-probabilities';
        else ignoreIndex = undefined;
      }
      if (ignoreIndex !== undefined) cell.ignore_index = ignoreIndex;
      if (o.reduction !== undefined) cell.reduction = fault === 'reduction' ? 'average' : o.reduction;
      else if (fault === 'reduction') cell.reduction = 'elementwise_mean_';
      if (o.labelSmoothing !== undefined) cell.label_smoothing = o.labelSmoothing;
      if (fault === 'label-smoothing-above-1') cell.label_smoothing = 1.5;
      if (o.weighted || fault === 'weight-length') cell.weight = fault === 'weight-length' ? [...weight, 1] : weight;
      if (o.withGradOutput && fault !== 'reduction') cell.grad_output = nest(o.reduction === 'none' ? lossShape : [], gradOutput);
      if (o.temperature !== undefined) cell.temperature = o.temperature;
      return { dtype: o.dtype, cell, fault };
    });

/** Cells small enough to draw 20,000 of: every shape PyTorch takes, 1 to 4 dimensions. */
export const lossCaseArb = lossCasesOf(smallShapeArb);

/** Cells large enough for every path of the WebAssembly kernels (largeShapeArb). */
export const largeLossCaseArb = lossCasesOf(largeShapeArb);

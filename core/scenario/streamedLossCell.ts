// A loss cell whose logits are a tensor file too large to hold whole (more than
// maxElements values): read block by block (nn/streamedCrossEntropy.ts), with
// everything else of the cell read as usual. Its result carries figures and
// per-row facts instead of N×C tensors (results.ts, StreamedLoss).
import { layoutOf } from '../compute/layout';
import { Budget, formatCount } from '../limits';
import type { StoredTensor } from '../files/storedTensor';
import type { RangeFileOpener } from '../files/rangeFile';
import { LossInputError } from '../nn/lossErrors';
import { streamCrossEntropy } from '../nn/streamedCrossEntropy';
import type { PassHelper, StreamedArgs, StreamedPass } from '../nn/streamedPass';
import type { JsonPath } from '../results';
import { readLossOptions, type LossCellInput } from './lossCell';
import { numel } from '../tensor';
import { openNamedTensor } from './namedTensor';
import { keepPass, keptPass } from './streamedPassCache';
import { ScenarioError } from './problems';
import { describeValue, type FieldReader } from './read';
import { readTensor, type ReadTensor, type TensorSource } from './tensorValue';

/** A loss cell's inputs, its logits left in their file. */
export interface StreamedLossInput extends Omit<LossCellInput, 'logits'> {
  /** Where the logits' file is named: [..., "logits", "npy"]. */
  logitsPath: JsonPath;
  logits: StoredTensor;
}

/** Where the cell's other tensors are read: one value per element or class (a target file of 50,000 labels) is within bounds whatever maxElements says. */
function perElementSource(source: TensorSource, elements: number): TensorSource {
  const limits = source.budget.limits;
  const widened = {
    ...limits,
    maxElements: Math.max(limits.maxElements, elements),
    maxFileBytes: Math.max(limits.maxFileBytes, 8 * elements + 65536),
  };
  return { ...source, budget: new Budget({ ...widened, maxTotalElements: widened.maxElements * 3 }) };
}

/**
 * The cell's inputs when its logits are a file of more than maxElements values, else null (the cell is read whole).
 * The file stays open until `closeStreamedInput`.
 */
export async function readStreamedLossCell(f: FieldReader, source: TensorSource, open: RangeFileOpener): Promise<StreamedLossInput | null> {
  const limits = source.budget.limits;
  const logits = await openNamedTensor(f.raw('logits'), f.at('logits'), open, limits);
  if (!logits) return null;
  const count = numel(logits.tensor.shape);
  if (count <= limits.maxElements) {
    await logits.tensor.file.close();
    return null;
  }
  try {
    const L = layoutOf(logits.tensor.shape);
    const elements = L.outer * L.inner;
    // The pass keeps about a dozen numbers per element: those count against the run's total (one error names both limits).
    source.budget.chargeElements(elements, logits.path, `With one entry per element of ${logits.tensor.file.name}`, [
      { name: 'maxStreamedElements', amount: count, what: `${logits.tensor.file.name} has` },
    ]);
    const perElement = perElementSource(source, Math.max(elements, L.classes));
    const optional = async (key: string) => {
      const value = f.raw(key);
      return value === undefined || value === null ? null : readTensor(value, f.at(key), perElement);
    };
    const target = await readTensor(f.required('target', 'class indices, one per row of the logits'), f.at('target'), perElement);
    const reduction = f.has('reduction') ? f.raw('reduction') : 'mean';
    if (typeof reduction !== 'string')
      throw new ScenarioError(`reduction must be "none", "mean" or "sum", got ${describeValue(reduction)}.`, f.at('reduction'));
    return {
      path: f.path,
      logitsPath: logits.path,
      logits: logits.tensor,
      target,
      weight: await optional('weight'),
      gradOutput: await optional('grad_output'),
      reduction,
      ...(await readLossOptions(f, source)),
      dtype: source.dtype,
    };
  } catch (error) {
    await logits.tensor.file.close();
    throw error;
  }
}

export const closeStreamedInput = (input: StreamedLossInput): Promise<void> => input.logits.file.close();

export function streamedArgs(input: StreamedLossInput, labelSmoothing = input.labelSmoothing): StreamedArgs {
  return {
    logits: input.logits,
    target: input.target.tensor,
    weight: input.weight?.tensor ?? null,
    ignoreIndex: input.ignoreIndex,
    reduction: input.reduction,
    labelSmoothing,
    gradOutput: input.gradOutput?.tensor ?? null,
    temperature: input.temperature,
    dtype: input.dtype,
  };
}

/** A streamed pass run to its end (cancellation throws StreamCancelled). */
export async function drainPass(steps: AsyncGenerator<number, StreamedPass>): Promise<StreamedPass> {
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
  }
}

/** The streamed pass (yielding elements done), its complaints pointing at the JSON value (and, for a file's target, its row). */
export async function* runStreamedPass(input: StreamedLossInput, signal?: AbortSignal, helper?: PassHelper): AsyncGenerator<number, StreamedPass> {
  const args = streamedArgs(input);
  const kept = keptPass(args);
  if (kept) return kept;
  try {
    const pass = yield* streamCrossEntropy(args, signal, undefined, helper);
    keepPass(args, pass);
    return pass;
  } catch (error) {
    if (!(error instanceof LossInputError)) throw error;
    const sources: Record<string, ReadTensor | null> = { target: input.target, weight: input.weight, grad_output: input.gradOutput };
    if (error.field === 'logits') throw new ScenarioError(error.message, input.logitsPath);
    const source = sources[error.field];
    if (!source) throw new ScenarioError(error.message, [...input.path, error.field]);
    const fromFile = source.written !== 'array' && source.written !== 'number' && error.index.length > 0;
    const where = fromFile ? ` (row ${formatCount(error.index[0])} of ${formatCount(source.tensor.shape[0])})` : '';
    throw new ScenarioError(`${error.message.replace(/\.$/, '')}${where}.`, source.pathOf(error.index));
  }
}

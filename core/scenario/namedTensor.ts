// Tensor files a scenario names, opened in place: only the header is read, and
// values are read by range where they are needed (a streamed loss cell's logits
// block by block; a small tensor such as the targets, whole, out of a large file).
import { FileChangedError, type RangeFile, type RangeFileOpener } from '../files/rangeFile';
import { CompressedEntry, openNpyTensor, openNpzTensor, openSafetensorsTensor, readStoredValues, type StoredTensor } from '../files/storedTensor';
import { MissingZipEntryError } from '../files/zipEntries';
import { formatCount, howToRaise, type Budget, type LimitName, type Limits } from '../limits';
import type { JsonPath } from '../results';
import { MissingTensorError } from '../safetensors';
import { numel, type Tensor } from '../tensor';
import { ScenarioError } from './problems';
import { isObject, own } from './read';
import { messageOf } from '../errorMessage';

const STORED_KINDS = ['npy', 'npz', 'safetensors'] as const;
export type StoredKind = (typeof STORED_KINDS)[number];

/** The tensor of `file` a value names; a deflated .npz entry is a CompressedEntry (read whole). */
function openStored(file: RangeFile, kind: StoredKind, key: string): Promise<StoredTensor | CompressedEntry> {
  if (kind === 'npy') return openNpyTensor(file);
  return kind === 'npz' ? openNpzTensor(file, key) : openSafetensorsTensor(file, key);
}

export interface NamedTensor {
  tensor: StoredTensor;
  /** The JSON path of the file name: [..., "logits", "npy"]. */
  path: JsonPath;
  /** How messages name it: `logits.npy`, or `outputs.npz ("logits")` for one array of a file. */
  label: string;
  kind: StoredKind;
}

/**
 * The tensor a {"npy" | "npz" | "safetensors": file} value at `at` names, opened in place (its header read, its data
 * left in the file), with the JSON path of its file name. Null where it is to be read whole: another kind of value,
 * a runner that cannot open ranges, a compressed .npz entry within the limits, or a file small enough that the
 * whole-file reader reports what is wrong with it (as it always has).
 */
/** Reads a named tensor's values whole (float64) after checking its shape against the budget, and closes its file. */
export async function readNamedTensor(named: NamedTensor, budget: Budget): Promise<Tensor> {
  const { tensor, label, path } = named;
  try {
    budget.tensor(tensor.shape, `${label} has`, path);
    const data = new Float64Array(numel(tensor.shape));
    await readStoredValues(tensor, 0, data.length, data);
    return { shape: tensor.shape, data };
  } finally {
    await tensor.file.close();
  }
}

export async function openNamedTensor(value: unknown, at: JsonPath, open: RangeFileOpener, limits: Limits): Promise<NamedTensor | null> {
  const { maxFileBytes, maxElements } = limits;
  if (!isObject(value)) return null;
  const kind = STORED_KINDS.find((k) => Object.hasOwn(value, k));
  if (!kind) return null;
  const name = own(value, kind);
  const path = [...at, kind];
  const key = own(value, 'key');
  if (typeof name !== 'string' || (kind !== 'npy' && typeof key !== 'string')) return null;
  let file: RangeFile;
  try {
    file = await open(name);
  } catch {
    return null; // the whole-file reader says why it cannot be read (or reads it, where ranges cannot be)
  }
  let tensor: StoredTensor | CompressedEntry;
  try {
    tensor = await openStored(file, kind, key as string);
  } catch (error) {
    // A file small enough to read whole gets the whole reader's errors (the size limit first, as ever).
    await file.close();
    if (file.size <= maxFileBytes && !(error instanceof FileChangedError)) return null;
    const missing = error instanceof MissingTensorError || error instanceof MissingZipEntryError;
    throw new ScenarioError(`${name}${missing ? ' ' : ': '}${messageOf(error)}.`, missing ? [...at, 'key'] : path);
  }
  if (!(tensor instanceof CompressedEntry)) return { tensor, path, label: kind === 'npy' ? name : `${name} ("${String(key)}")`, kind };
  await file.close();
  const count = numel(tensor.shape);
  if (count <= maxElements && file.size <= maxFileBytes) return null;
  const [over, limit]: [string, LimitName] =
    count > maxElements
      ? [`its ${formatCount(count)} elements are over the ${formatCount(maxElements)} elements a tensor read whole may have`, 'maxElements']
      : [`the file's ${formatCount(file.size)} bytes are over the ${formatCount(maxFileBytes)} bytes a file read whole may have`, 'maxFileBytes'];
  throw new ScenarioError(
    `${name}: "${String(key)}" is compressed (numpy.savez_compressed), so it is read whole, and ${over}: save it with numpy.savez (stored arrays are read in place) or ${howToRaise(limit)}.`,
    path,
  );
}

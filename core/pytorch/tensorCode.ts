// Python for one tensor of a scenario: its literal, a load of the file it names,
// or (for {"random": ...}) its values, written as a literal when small and
// otherwise as a .npy file next to the scenario that the script loads.
import { npyBytes } from '../npyWrite';
import { isObject } from '../scenario/read';
import type { Tensor } from '../tensor';
import { pyFloat, pyInt, pyNested, pyString } from './pythonLiterals';

/** Up to this many values, generated tensors are written into the script. */
const LITERAL_LIMIT = 64;

export type TensorKind = 'float' | 'index';

export interface SideFile {
  /** File name, next to the scenario. */
  name: string;
  bytes: Uint8Array;
}

/** What the script's cells need: imports, helpers and files written next to the scenario. */
export class ScriptNeeds {
  numpy = false;
  paths = false;
  safetensors = false;
  /** The calibration function (calibrationCode.ts). */
  calibration = false;
  readonly files: SideFile[] = [];

  constructor(readonly fileStem: string) {}
}

/** A tensor's values as a literal (float tensors in the script's dtype, class indices as int64). */
export function literalCode(t: Tensor, kind: TensorKind, extra = ''): string {
  return kind === 'float' ? `torch.tensor(${pyNested(t, pyFloat)}, dtype=dtype${extra})` : `torch.tensor(${pyNested(t, pyInt)}${extra})`;
}

const convert = (kind: TensorKind) => (kind === 'float' ? '.to(dtype)' : '.long()');

function fileCode(needs: ScriptNeeds, relative: string): string {
  needs.paths = true;
  return `os.path.join(HERE, ${pyString(relative)})`;
}

/** Values the engine generated (random tensors, datasets, shuffles): literal, or a .npy next to the scenario. */
export function generatedCode(t: Tensor, kind: TensorKind, needs: ScriptNeeds, name: string): string {
  if (t.data.length <= LITERAL_LIMIT) return literalCode(t, kind);
  const file = `${needs.fileStem}.${name}.npy`;
  // A sweep writes its loss cell's values again: one file. float32 values (a float32 scenario's) stay float32.
  const descr = kind === 'index' ? '<i8' : t.data instanceof Float32Array ? '<f4' : '<f8';
  if (!needs.files.some((f) => f.name === file)) needs.files.push({ name: file, bytes: npyBytes(descr, t.shape, t.data) });
  needs.numpy = true;
  return `torch.from_numpy(np.load(${fileCode(needs, file)}))${convert(kind)}`;
}

/**
 * `raw` is the value as written in the scenario, `t` what the engine read from it;
 * `name` names a generated .npy (e.g. "two.logits").
 */
export function tensorCode(raw: unknown, t: Tensor, kind: TensorKind, needs: ScriptNeeds, name: string): string {
  if (isObject(raw) && typeof raw.npy === 'string') {
    needs.numpy = true;
    return `torch.from_numpy(np.load(${fileCode(needs, raw.npy)}))${convert(kind)}`;
  }
  if (isObject(raw) && typeof raw.npz === 'string' && typeof raw.key === 'string') {
    needs.numpy = true;
    return `torch.from_numpy(np.load(${fileCode(needs, raw.npz)})[${pyString(raw.key)}])${convert(kind)}`;
  }
  if (isObject(raw) && typeof raw.safetensors === 'string' && typeof raw.key === 'string') {
    needs.safetensors = true;
    return `load_safetensors(${fileCode(needs, raw.safetensors)}, ${pyString(raw.key)})${convert(kind)}`;
  }
  if (isObject(raw)) return generatedCode(t, kind, needs, name);
  return literalCode(t, kind);
}

// A loss cell's tensors and its F.cross_entropy call, shared by loss and sweep cells.
import type { LossCellInput } from '../scenario/lossCell';
import type { FieldReader } from '../scenario/read';
import { sameShape } from '../tensor';
import { pyFloat, pyInt, pyString } from './pythonLiterals';
import { literalCode, tensorCode, type ScriptNeeds } from './tensorCode';

export interface LossCode {
  setup: string[];
  /** F.cross_entropy(...) with the cell's options; a sweep replaces the logits or one option. */
  call(override?: { logits?: string; labelSmoothing?: string; temperature?: string }): string;
}

export function lossCode(f: FieldReader, input: LossCellInput, needs: ScriptNeeds, id: string, requiresGrad: boolean): LossCode {
  const logits = input.logits.tensor;
  const written = input.logits.written === 'array' || input.logits.written === 'number';
  const logitsCode = written
    ? literalCode(logits, 'float', requiresGrad ? ', requires_grad=True' : '')
    : `${tensorCode(f.raw('logits'), logits, 'float', needs, `${id}.logits`)}${requiresGrad ? '.requires_grad_()' : ''}`;
  const probs = sameShape(input.target.tensor.shape, logits.shape);
  const setup = [`logits = ${logitsCode}`];
  const targetCode = tensorCode(f.raw('target'), input.target.tensor, probs ? 'float' : 'index', needs, `${id}.target`);
  setup.push(probs ? `target = ${targetCode}  # the logits' shape: class probabilities` : `target = ${targetCode}`);
  if (input.weight) setup.push(`weight = ${tensorCode(f.raw('weight'), input.weight.tensor, 'float', needs, `${id}.weight`)}`);
  if (input.gradOutput) setup.push(`grad_output = ${tensorCode(f.raw('grad_output'), input.gradOutput.tensor, 'float', needs, `${id}.grad_output`)}`);
  return {
    setup,
    call(override = {}) {
      const temperature = override.temperature ?? (f.has('temperature') && input.temperature !== 1 ? pyFloat(input.temperature) : null);
      const args = [temperature ? `${override.logits ?? 'logits'} / ${temperature}` : (override.logits ?? 'logits'), 'target'];
      if (input.weight) args.push('weight=weight');
      if (f.has('ignore_index')) args.push(`ignore_index=${pyInt(input.ignoreIndex)}`);
      if (f.has('reduction')) args.push(`reduction=${pyString(input.reduction)}`);
      const smoothing = override.labelSmoothing ?? (f.has('label_smoothing') ? pyFloat(input.labelSmoothing) : null);
      if (smoothing) args.push(`label_smoothing=${smoothing}`);
      return `F.cross_entropy(${args.join(', ')})`;
    },
  };
}

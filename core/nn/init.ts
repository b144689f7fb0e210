// nn.Linear's reset_parameters after torch.manual_seed(seed), bit for bit in float32:
// weight ~ kaiming_uniform_(a=√5), i.e. U(±√3·gain/√fan_in) with gain = √(2/(1+a²)); bias ~ U(±1/√fan_in).
import { MT19937 } from '../random';
import type { LayerParams } from '../results';

export function torchLinearInit(seed: number, widths: readonly number[]): LayerParams[] {
  const generator = new MT19937(seed);
  const layers: LayerParams[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l];
    const out = widths[l + 1];
    // Computed in double exactly as torch.nn.init does, then used as float32 bounds.
    const a = Math.sqrt(5);
    const gain = Math.sqrt(2.0 / (1 + a ** 2));
    const weightBound = Math.sqrt(3.0) * (gain / Math.sqrt(fanIn));
    const weight = Array.from({ length: out }, () => Array.from({ length: fanIn }, () => generator.uniformFloat32(-weightBound, weightBound)));
    const biasBound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    const bias = Array.from({ length: out }, () => generator.uniformFloat32(-biasBound, biasBound));
    layers.push({ weight, bias });
  }
  return layers;
}

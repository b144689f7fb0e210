// cross_entropy forward and backward: the forward pass with a gradient buffer
// for its fused kernel to fill, then the temperature's chain rule.
import { unfilledFloatArray } from '../compute/unfilledArrays';
import { checkArgs, type CrossEntropyArgs } from './crossEntropyArgs';
import { forwardPass, smoothingTerms } from './crossEntropyForward';
import { forwardResult, type CrossEntropyResult } from './crossEntropyResult';

/** Forward and backward: the loss, and d(loss)/d(logits as written) in `grad`. */
export function crossEntropy(args: CrossEntropyArgs): CrossEntropyResult {
  const c = checkArgs(args);
  const grad = unfilledFloatArray(c.dtype, c.x.length);
  const forward = forwardResult(c, forwardPass(c, { grad, smooth: smoothingTerms(c) }));
  // The logits were divided by the temperature: d/d(logits) = d/d(x) / temperature.
  if (c.temperature !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i] / c.temperature;
  return Object.assign(forward, { grad: { shape: c.shape, data: grad } });
}

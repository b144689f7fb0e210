// A stack of nn.Linear layers (y = x·Wᵀ + b) with one activation between them.
import type { Round } from '../dtype';
import { matmul } from '../kernels';
import type { LayerParams } from '../results';
import { activations, type ActivationName } from './activations';

export interface Linear {
  inFeatures: number;
  outFeatures: number;
  /** out × in, row-major, as PyTorch stores it. */
  weight: Float64Array;
  bias: Float64Array;
}

export interface Mlp {
  layers: Linear[];
  activation: ActivationName;
}

export interface LinearGrads {
  weight: Float64Array;
  bias: Float64Array;
}

/** What backward needs from forward: every layer's input and pre-activation output. */
export interface ForwardTrace {
  batch: number;
  inputs: Float64Array[];
  preActivations: Float64Array[];
  logits: Float64Array;
}

export function mlpFromParams(params: readonly LayerParams[], activation: ActivationName, round: Round): Mlp {
  return {
    activation,
    layers: params.map((p) => ({
      inFeatures: p.weight[0]?.length ?? 0,
      outFeatures: p.weight.length,
      weight: Float64Array.from(p.weight.flat(), round),
      bias: Float64Array.from(p.bias, round),
    })),
  };
}

export function mlpParams(model: Mlp): LayerParams[] {
  return model.layers.map((l) => ({
    weight: Array.from({ length: l.outFeatures }, (_, r) => Array.from(l.weight.subarray(r * l.inFeatures, (r + 1) * l.inFeatures))),
    bias: Array.from(l.bias),
  }));
}

export function forward(model: Mlp, x: Float64Array, batch: number, round: Round): ForwardTrace {
  const act = activations[model.activation];
  const inputs: Float64Array[] = [];
  const preActivations: Float64Array[] = [];
  let h = x;
  model.layers.forEach((layer, l) => {
    inputs.push(h);
    const z = matmul(h, layer.weight, batch, layer.inFeatures, layer.outFeatures, false, true, round);
    for (let i = 0; i < z.length; i++) z[i] = round(z[i] + layer.bias[i % layer.outFeatures]);
    preActivations.push(z);
    h = l < model.layers.length - 1 ? z.map((v) => act.forward(v, round)) : z;
  });
  return { batch, inputs, preActivations, logits: h };
}

/** Gradients of every layer given d(loss)/d(logits). */
export function backward(model: Mlp, trace: ForwardTrace, gradLogits: Float64Array, round: Round): LinearGrads[] {
  const act = activations[model.activation];
  const grads: LinearGrads[] = new Array(model.layers.length);
  let gradOut = gradLogits;
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    const input = trace.inputs[l];
    const weight = matmul(gradOut, input, layer.outFeatures, trace.batch, layer.inFeatures, true, false, round);
    const bias = new Float64Array(layer.outFeatures);
    for (let o = 0; o < layer.outFeatures; o++) {
      let s = 0;
      for (let b = 0; b < trace.batch; b++) s += gradOut[b * layer.outFeatures + o];
      bias[o] = round(s);
    }
    grads[l] = { weight, bias };
    if (l > 0) {
      const gradInput = matmul(gradOut, layer.weight, trace.batch, layer.outFeatures, layer.inFeatures, false, false, round);
      const pre = trace.preActivations[l - 1];
      for (let i = 0; i < gradInput.length; i++) gradInput[i] = act.backward(gradInput[i], pre[i], input[i], round);
      gradOut = gradInput;
    }
  }
  return grads;
}

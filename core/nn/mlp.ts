// A stack of nn.Linear layers (y = x·Wᵀ + b) with one activation between them,
// its forward and backward as kernel calls on buffers taken once from the arena.
import type { LayerParams } from '../results';
import type { ActivationName } from '../compute/activations';
import type { Take } from './arena';
import type { FloatArray } from '../compute/kernelSet';
import type { TrainKernels } from '../compute/trainKernels';

export interface Linear {
  inFeatures: number;
  outFeatures: number;
  /** out × in, row-major, as PyTorch stores it (a view of Mlp.params). */
  weight: FloatArray;
  bias: FloatArray;
  /** Its gradients (views of Mlp.grads). */
  gradWeight: FloatArray;
  gradBias: FloatArray;
  /** in × out: the forward's matmul reads the weight transposed. */
  weightT: FloatArray;
  /** Per row of the batch: the output before and after the activation (the same buffer for the last layer). */
  pre: FloatArray;
  post: FloatArray;
}

export interface Mlp {
  activation: ActivationName;
  /** Rows a forward or backward may take at once. */
  capacity: number;
  /** Every layer's weight then bias, back to back in PyTorch's parameter order, so one optimizer pass updates them all. */
  params: FloatArray;
  grads: FloatArray;
  layers: Linear[];
  /** Two capacity × widest-layer buffers that backward passes the gradient between. */
  deltas: [FloatArray, FloatArray];
}

/** Weights and biases of Linear layers of these widths. */
export function parameterCount(widths: readonly number[]): number {
  return widths.slice(1).reduce((s, out, l) => s + out * widths[l] + out, 0);
}

export function takeMlp(take: Take, widths: readonly number[], activation: ActivationName, capacity: number): Mlp {
  const params = take(parameterCount(widths));
  const grads = take(parameterCount(widths));
  let at = 0;
  const layers = widths.slice(1).map((outFeatures, l): Linear => {
    const inFeatures = widths[l];
    const slice = (a: FloatArray, from: number, n: number) => a.subarray(from, from + n);
    const [w, b] = [at, at + outFeatures * inFeatures];
    at = b + outFeatures;
    const pre = take(capacity * outFeatures);
    return {
      inFeatures,
      outFeatures,
      weight: slice(params, w, outFeatures * inFeatures),
      bias: slice(params, b, outFeatures),
      gradWeight: slice(grads, w, outFeatures * inFeatures),
      gradBias: slice(grads, b, outFeatures),
      weightT: take(outFeatures * inFeatures),
      pre,
      post: l === widths.length - 2 ? pre : take(capacity * outFeatures),
    };
  });
  const widest = Math.max(...widths);
  return { activation, capacity, params, grads, layers, deltas: [take(capacity * widest), take(capacity * widest)] };
}

export function loadParams(model: Mlp, params: readonly LayerParams[]): void {
  model.layers.forEach((layer, l) => {
    layer.weight.set(params[l].weight.flat());
    layer.bias.set(params[l].bias);
  });
}

export function mlpParams(model: Mlp): LayerParams[] {
  return model.layers.map((l) => ({
    weight: Array.from({ length: l.outFeatures }, (_, r) => Array.from(l.weight.subarray(r * l.inFeatures, (r + 1) * l.inFeatures))),
    bias: Array.from(l.bias),
  }));
}

/** Logits of `rows` rows of x (row-major, rows ≤ capacity); every layer's pre/post keep what backward needs. */
export function forward(k: TrainKernels, model: Mlp, x: FloatArray, rows: number): FloatArray {
  let h = x;
  for (const layer of model.layers) {
    const { inFeatures: inF, outFeatures: outF } = layer;
    k.transpose(layer.weight, outF, inF, layer.weightT);
    k.matmul(h, inF, 1, layer.weightT, rows, inF, outF, layer.bias, layer.pre);
    if (layer.post !== layer.pre) k.activation(model.activation, layer.pre, layer.post, rows * outF);
    h = layer.post;
  }
  return h.subarray(0, rows * model.layers[model.layers.length - 1].outFeatures);
}

/** Fills model.grads from d(loss)/d(logits), held in model.deltas[0], after forward on the same rows. */
export function backward(k: TrainKernels, model: Mlp, x: FloatArray, rows: number): void {
  let [delta, spare] = model.deltas;
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    const { inFeatures: inF, outFeatures: outF } = layer;
    const input = l === 0 ? x : model.layers[l - 1].post;
    // grad_weight = deltaᵀ·input, grad_bias = Σ over rows, grad_input = delta·W.
    k.matmul(delta, 1, outF, input, outF, rows, inF, null, layer.gradWeight);
    k.columnSums(delta, rows, outF, layer.gradBias);
    if (l > 0) {
      const below = model.layers[l - 1];
      k.matmul(delta, outF, 1, layer.weight, rows, outF, inF, null, spare);
      k.activationBackward(model.activation, spare, below.pre, below.post, rows * inF);
      [delta, spare] = [spare, delta];
    }
  }
}

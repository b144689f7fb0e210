// The Python of one loss, sweep or train cell: its tensors, then PyTorch's own
// calls in PyTorch's order, then one JSON line with the cell's numbers.
import type { LossCellInput } from '../scenario/lossCell';
import { ScenarioError } from '../scenario/problems';
import { atLeast, fields, isObject, type FieldReader } from '../scenario/read';
import { generatorFor, permutation, type RandomSeeding } from '../scenario/seeding';
import type { TrainInputs } from '../scenario/trainInputs';
import { tensor } from '../tensor';
import { lossCode } from './lossCode';
import { pyBool, pyFloat, pyInt, pyString } from './pythonLiterals';
import { generatedCode, tensorCode, type ScriptNeeds } from './tensorCode';

/** `bins`: the cell's calibration (calibrationCode.ts), or null without one. */
export function lossScript(f: FieldReader, input: LossCellInput, id: string, needs: ScriptNeeds, bins: number | null = null): string[] {
  const code = lossCode(f, input, needs, id, true);
  needs.calibration ||= bins !== null;
  const calibration =
    bins === null ? '' : `, "calibration": calibration(logits, target, ${pyFloat(input.temperature)}, ${bins}, ${pyInt(input.ignoreIndex)})`;
  const backward = input.gradOutput
    ? 'loss.backward(grad_output)'
    : input.reduction === 'none'
      ? 'loss.backward(torch.ones_like(loss))  # no grad_output given: ones'
      : 'loss.backward()';
  return [
    ...code.setup,
    `loss = ${code.call()}`,
    backward,
    `json_line({"id": ${pyString(id)}, "loss": loss.tolist(), "grad": logits.grad.tolist()${calibration}})`,
  ];
}

/**
 * The loop of a sweep over torch.linspace(from, to, steps), one [value, loss] point per step; with `bins` (the sweep's
 * "ece": true, over that many bins), [value, loss, ece].
 */
export function sweepScript(
  f: FieldReader,
  ofCell: FieldReader,
  input: LossCellInput,
  id: string,
  needs: ScriptNeeds,
  bins: number | null = null,
): string[] {
  const param = f.string('param', '');
  const from = f.requiredFloat('from');
  const to = f.requiredFloat('to');
  const steps = f.integer('steps', 21, atLeast(1));
  const code = lossCode(ofCell, input, needs, f.string('of', ''), false);
  const lines = [
    ...code.setup,
    `points = []`,
    `for value in torch.linspace(${pyFloat(from)}, ${pyFloat(to)}, ${steps}, dtype=torch.float64).tolist():`,
  ];
  const logit = /^logit((?:\[\d+\])+)$/.exec(param);
  if (param === 'label_smoothing') lines.push(`    loss = ${code.call({ labelSmoothing: 'value' })}`);
  else if (param === 'temperature') lines.push(`    loss = ${code.call({ temperature: 'value' })}`);
  else if (logit) {
    const index = [...logit[1].matchAll(/\[(\d+)\]/g)].map((m) => m[1]).join(', ');
    lines.push('    swept = logits.clone()', `    swept[${index}] = value`, `    loss = ${code.call({ logits: 'swept' })}`);
  } else if (param === 'margin') {
    // The value is added to the target-class logit of every element that is not ignored.
    const unbatched = input.logits.tensor.shape.length === 1;
    const classes = unbatched ? input.logits.tensor.shape[0] : input.logits.tensor.shape[1];
    const oneHot = `F.one_hot(target.clamp(0, ${classes - 1}), ${classes})${input.logits.tensor.shape.length > 2 ? '.movedim(-1, 1)' : ''}.bool()`;
    const counted = `(target != ${pyInt(input.ignoreIndex)})${unbatched ? '' : '.unsqueeze(1)'}`;
    lines.splice(code.setup.length, 0, `is_target = ${oneHot} & ${counted}  # target-class logits that count`);
    lines.push('    swept = logits.clone()', '    swept[is_target] += value', `    loss = ${code.call({ logits: 'swept' })}`);
  } else {
    throw new ScenarioError(
      `param must be "label_smoothing", "temperature", "margin" or "logit[i][c]"; got ${JSON.stringify(param)}.`,
      f.at('param'),
    );
  }
  if (bins === null) lines.push('    points.append([value, loss.tolist()])');
  else {
    // The ECE on this point's logits and temperature, beside the loss (the sweep's "ece": true).
    needs.calibration = true;
    const swept = logit || param === 'margin' ? 'swept' : 'logits';
    const temperature = param === 'temperature' ? 'value' : pyFloat(input.temperature);
    lines.push(
      `    ece = calibration_figures(*calibration_rows(${swept}, target, ${pyInt(input.ignoreIndex)}), ${temperature}, ${bins})["ece"]`,
      '    points.append([value, loss.tolist(), ece])',
    );
  }
  lines.push(`json_line({"id": ${pyString(id)}, "points": points})`);
  return lines;
}

const ACTIVATION_MODULES = { relu: 'nn.ReLU()', tanh: 'nn.Tanh()', sigmoid: 'nn.Sigmoid()', gelu: 'nn.GELU()' };

function optimizerCode(inputs: TrainInputs): string {
  const o = inputs.optimizer;
  const args = ['model.parameters()', `lr=${pyFloat(o.lr)}`];
  if (o.type === 'sgd') {
    if (o.momentum !== 0) args.push(`momentum=${pyFloat(o.momentum)}`);
    if (o.dampening !== 0) args.push(`dampening=${pyFloat(o.dampening)}`);
    if (o.nesterov) args.push(`nesterov=${pyBool(o.nesterov)}`);
    if (o.weight_decay !== 0) args.push(`weight_decay=${pyFloat(o.weight_decay)}`);
    return `torch.optim.SGD(${args.join(', ')})`;
  }
  if (o.betas[0] !== 0.9 || o.betas[1] !== 0.999) args.push(`betas=(${pyFloat(o.betas[0])}, ${pyFloat(o.betas[1])})`);
  if (o.eps !== 1e-8) args.push(`eps=${pyFloat(o.eps)}`);
  if (o.weight_decay !== (o.type === 'adamw' ? 0.01 : 0)) args.push(`weight_decay=${pyFloat(o.weight_decay)}`);
  return `torch.optim.${o.type === 'adam' ? 'Adam' : 'AdamW'}(${args.join(', ')})`;
}

function modelCode(f: FieldReader, inputs: TrainInputs, seed: number, id: string, needs: ScriptNeeds): string[] {
  const model = fields(isObject(f.raw('model')) ? (f.raw('model') as Record<string, unknown>) : {}, f.at('model'));
  const init = isObject(model.raw('init')) ? (model.raw('init') as Record<string, unknown>) : {};
  const w = inputs.widths;
  const layers = w.slice(1).flatMap((out, l) => [`nn.Linear(${w[l]}, ${out})`, ...(l < w.length - 2 ? [ACTIVATION_MODULES[inputs.activation]] : [])]);
  const lines: string[] = [];
  if (!Array.isArray(init.params))
    lines.push(`torch.manual_seed(${typeof init.torch_seed === 'number' ? init.torch_seed : seed})  # nn.Linear draws its initial weights from it`);
  lines.push(`model = nn.Sequential(${layers.join(', ')}).to(dtype)`);
  if (Array.isArray(init.params)) {
    const params = init.params;
    lines.push('with torch.no_grad():');
    inputs.init.forEach((layer, l) => {
      const raw = isObject(params[l]) ? (params[l] as Record<string, unknown>) : {};
      const weight = tensorCode(raw.weight, tensor([layer.weight.length, w[l]], layer.weight.flat()), 'float', needs, `${id}.layer${l}.weight`);
      const bias = tensorCode(raw.bias, tensor([layer.bias.length], layer.bias), 'float', needs, `${id}.layer${l}.bias`);
      lines.push(`    model[${2 * l}].weight.copy_(${weight})`, `    model[${2 * l}].bias.copy_(${bias})`);
    });
  }
  return lines;
}

function dataCode(f: FieldReader, inputs: TrainInputs, id: string, needs: ScriptNeeds): string[] {
  const data = isObject(f.raw('data')) ? (f.raw('data') as Record<string, unknown>) : {};
  const x = tensor([inputs.data.x.length, inputs.widths[0]], inputs.data.x.flat());
  const target = tensor([inputs.data.target.length], inputs.data.target);
  if (data.dataset !== undefined) {
    return [
      `x = ${generatedCode(x, 'float', needs, `${id}.x`)}  # the "${isObject(data.dataset) ? data.dataset.name : data.dataset}" dataset CE Lab generated`,
      `target = ${generatedCode(target, 'index', needs, `${id}.target`)}`,
    ];
  }
  return [`x = ${tensorCode(data.x, x, 'float', needs, `${id}.x`)}`, `target = ${tensorCode(data.target, target, 'index', needs, `${id}.target`)}`];
}

/** Each epoch's order of the rows, as CE Lab's seeded shuffle draws them (epochs a batch skips keep 0..n-1). */
function shuffleOrders(f: FieldReader, inputs: TrainInputs, seeding: RandomSeeding, batch: number): number[][] {
  const n = inputs.data.x.length;
  const generator = generatorFor(seeding, [...f.path, 'shuffle']);
  const orders: number[][] = [];
  for (let s = 0; s < inputs.steps; s++) {
    const epoch = Math.floor((s * batch) / n);
    while (orders.length < epoch) orders.push(Array.from({ length: n }, (_, i) => i));
    if (orders.length === epoch) orders.push(permutation(generator, n));
  }
  return orders;
}

export function trainScript(f: FieldReader, inputs: TrainInputs, seeding: RandomSeeding, id: string, needs: ScriptNeeds): string[] {
  const lines = [...modelCode(f, inputs, seeding.seed, id, needs), ...dataCode(f, inputs, id, needs)];
  const lossRaw = isObject(f.raw('loss')) ? (f.raw('loss') as Record<string, unknown>) : {};
  const args = ['model(x[rows])', 'target[rows]'];
  if (inputs.loss.weight) {
    lines.push(`weight = ${tensorCode(lossRaw.weight, tensor([inputs.loss.weight.length], inputs.loss.weight), 'float', needs, `${id}.weight`)}`);
    args.push('weight=weight');
  }
  if (lossRaw.ignore_index !== undefined) args.push(`ignore_index=${pyInt(inputs.loss.ignoreIndex)}`);
  if (lossRaw.reduction !== undefined) args.push(`reduction=${pyString(inputs.loss.reduction)}`);
  if (lossRaw.label_smoothing !== undefined) args.push(`label_smoothing=${pyFloat(inputs.loss.labelSmoothing)}`);
  lines.push(`optimizer = ${optimizerCode(inputs)}`, 'losses = []', `for step in range(${inputs.steps}):`);
  const batch = inputs.batchSize;
  if (batch === null) {
    args[0] = 'model(x)';
    args[1] = 'target';
  } else {
    // CE Lab's batches: rows [(step·B) mod N, (step·B) mod N + B), cut at N.
    lines.splice(lines.length - 1, 0, `n, batch_size = x.shape[0], ${batch}`);
    if (inputs.shuffle) {
      const orders = shuffleOrders(f, inputs, seeding, batch);
      const ordersTensor = tensor([orders.length, inputs.data.x.length], orders.flat());
      lines.splice(
        lines.length - 1,
        0,
        `orders = ${generatedCode(ordersTensor, 'index', needs, `${id}.shuffle`)}  # each epoch's row order (CE Lab's seeded shuffle)`,
      );
      lines.push('    start = step * batch_size % n', '    rows = orders[step * batch_size // n][start:start + batch_size]');
    } else {
      lines.push('    start = step * batch_size % n', '    rows = slice(start, start + batch_size)');
    }
  }
  lines.push(
    `    loss = F.cross_entropy(${args.join(', ')})`,
    '    losses.append(loss.item())',
    '    optimizer.zero_grad()',
    '    loss.backward()',
    '    optimizer.step()',
  );
  lines.push(`json_line({"id": ${pyString(id)}, "losses": losses})`);
  return lines;
}

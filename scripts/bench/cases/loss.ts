// Cross-entropy forward + backward (mean reduction), the shapes: what a
// loss cell computes, against F.cross_entropy(x, t).backward() in PyTorch.
import { newFloatArray } from '../../../core/compute/kernelSet';
import { crossEntropy } from '../../../core/nn/crossEntropy';
import { MT19937 } from '../../../core/random';
import type { Dtype } from '../../../core/results';
import { numel, tensor, type Tensor } from '../../../core/tensor';
import type { BenchCase } from '../benchCase';

const GROUP = 'cross_entropy forward + backward';

function normals(shape: number[], dtype: Dtype, g: MT19937): Tensor {
  const data = newFloatArray(dtype, numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = g.nextNormal();
  return { shape, data };
}

/**
 * cross_entropy(x, target).backward() on logits x ~ N(0, 1) of `shape`; the target is drawn next from the same
 * seeded generator (`target` here, `torchTarget` the Python expression for PyTorch's side).
 */
function ceCase(kind: string, group: string, shape: number[], dtype: Dtype, target: (g: MT19937) => Tensor, torchTarget: string): BenchCase {
  return {
    id: `ce-${kind}-${shape.join('x')}-${dtype}`,
    group,
    shape: shape.map((d) => d.toLocaleString('en')).join(' × '),
    dtype,
    unit: 'call',
    prepare() {
      const g = new MT19937(0);
      const input = normals(shape, dtype, g);
      const t = target(g);
      return () => crossEntropy({ input, target: t, dtype });
    },
    torch: `
def setup():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(${JSON.stringify(shape)}, generator=g, dtype=torch.${dtype}).requires_grad_()
    t = ${torchTarget}
    def step():
        torch.nn.functional.cross_entropy(x, t).backward()
        x.grad = None
    return step
`,
  };
}

/** Class-index targets: logits of `shape`, a class index per element. */
function indexCase(shape: number[], dtype: Dtype): BenchCase {
  const [n, c, ...spatial] = shape;
  const targetShape = [n, ...spatial];
  const classIndices = (g: MT19937) => {
    const target = tensor(targetShape);
    for (let e = 0; e < target.data.length; e++) target.data[e] = g.nextInt(c);
    return target;
  };
  return ceCase('index', GROUP, shape, dtype, classIndices, `torch.randint(0, ${c}, ${JSON.stringify(targetShape)}, generator=g)`);
}

/** Probability targets: rows of a softmax, the logits' shape. */
function probsCase(shape: number[], dtype: Dtype): BenchCase {
  const softmaxRows = (g: MT19937) => {
    const target = normals(shape, dtype, g);
    const C = shape[1];
    for (let r = 0; r < shape[0]; r++) {
      const row = target.data.subarray(r * C, (r + 1) * C);
      let total = 0;
      for (let i = 0; i < C; i++) total += row[i] = Math.exp(row[i]);
      for (let i = 0; i < C; i++) row[i] /= total;
    }
    return target;
  };
  const torchTarget = `torch.softmax(torch.randn(${JSON.stringify(shape)}, generator=g, dtype=torch.${dtype}), dim=1)`;
  return ceCase('probs', `${GROUP}, probability targets`, shape, dtype, softmaxRows, torchTarget);
}

const DTYPES: Dtype[] = ['float32', 'float64'];

export const lossCases: BenchCase[] = [
  ...[
    [4096, 1000],
    [64, 50257],
    [1_000_000, 10],
    [2, 3],
    [8, 21, 64, 64],
  ].flatMap((shape) => DTYPES.map((dtype) => indexCase(shape, dtype))),
  ...DTYPES.map((dtype) => probsCase([4096, 1000], dtype)),
];

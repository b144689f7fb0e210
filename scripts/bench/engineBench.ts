// Engine benchmarks. Each prints the engine's time and its ratio to a peer
// measured in the same run: a plain textbook implementation of the same math.
import { crossEntropy } from '../../core/nn/crossEntropy';
import { matmul } from '../../core/kernels';
import { makeTrainer } from '../../core/nn/train';
import { torchLinearInit } from '../../core/nn/init';
import { tensor } from '../../core/tensor';
import { MT19937 } from '../../core/random';

function time(fn: () => void, minMs = 400): number {
  fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    runs += 1;
  }
  return (performance.now() - start) / runs;
}

const g = new MT19937(1);
const randn = (n: number) => Array.from({ length: n }, () => g.nextNormal());

/** Textbook cross-entropy on nested arrays: softmax, −log p[t], (p − y)/N. */
function naiveCrossEntropy(logits: number[][], target: number[]) {
  const n = logits.length;
  let loss = 0;
  const grad = logits.map((row, i) => {
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const total = exps.reduce((a, b) => a + b, 0);
    const p = exps.map((e) => e / total);
    loss -= Math.log(p[target[i]]) / n;
    return p.map((v, c) => (v - (c === target[i] ? 1 : 0)) / n);
  });
  return { loss, grad };
}

function naiveMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

function report(name: string, engineMs: number, peerMs: number) {
  console.log(`${name.padEnd(46)} engine ${engineMs.toFixed(3).padStart(9)} ms   peer ${peerMs.toFixed(3).padStart(9)} ms   ratio engine/peer ${(engineMs / peerMs).toFixed(2)}`);
}

// Each case runs in its own process (argv[2]) so one case's JIT feedback cannot slow another.
const only = process.argv[2];
const wanted = (name: string) => !only || only === name;

const N = 4096;
const C = 100;
const logits = randn(N * C);
const target = Array.from({ length: N }, () => g.nextInt(C));
const rows = Array.from({ length: N }, (_, i) => logits.slice(i * C, (i + 1) * C));
const input = tensor([N, C], logits);
const targetTensor = tensor([N], target);
for (const dtype of ['float64', 'float32'] as const) {
  if (!wanted(`ce-${dtype}`)) continue;
  const engine = time(() => crossEntropy({ input, target: targetTensor, dtype }));
  const peer = time(() => naiveCrossEntropy(rows, target));
  report(`cross_entropy fwd+bwd ${N}×${C} ${dtype}`, engine, peer);
}

const M = 128;
const a = randn(M * M);
const b = randn(M * M);
const af = new Float64Array(a);
const bf = new Float64Array(b);
const a2 = Array.from({ length: M }, (_, i) => a.slice(i * M, (i + 1) * M));
const b2 = Array.from({ length: M }, (_, i) => b.slice(i * M, (i + 1) * M));
if (wanted('matmul')) report(`matmul ${M}×${M}·${M}×${M} float64`, time(() => matmul(af, bf, M, M, M, false, false, (x) => x)), time(() => naiveMatmul(a2, b2)));

if (wanted('train')) {
  const x = Array.from({ length: 256 }, () => randn(2));
  const y = Array.from({ length: 256 }, () => g.nextInt(2));
  const trainer = makeTrainer({
    init: torchLinearInit(0, [2, 16, 16, 2]),
    activation: 'tanh',
    x,
    target: y,
    optimizer: { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 },
    loss: { weight: null, ignoreIndex: -100, reduction: 'mean', labelSmoothing: 0 },
    steps: 1,
    batchSize: null,
    shuffle: null,
    dtype: 'float32',
  });
  const stepMs = time(() => trainer.step());
  const forwardOnlyPeer = time(() => naiveCrossEntropy(naiveMatmul(naiveMatmul(x, Array.from({ length: 2 }, () => randn(16))), Array.from({ length: 16 }, () => randn(2))), y));
  report('train step 2-16-16-2 tanh, Adam, N=256, float32', stepMs, forwardOnlyPeer);
  console.log(`  → ${(1000 / stepMs).toFixed(0)} training steps per second (peer: a naive forward pass + loss only)`);
}

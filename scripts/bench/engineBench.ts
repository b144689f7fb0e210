// Engine benchmarks. Each prints the engine's time and its ratio to a peer
// measured in the same run: a plain textbook implementation of the same math.
import { crossEntropy } from '../../core/nn/crossEntropy';
import { tensor } from '../../core/tensor';
import { MT19937 } from '../../core/random';
import { benchTraining } from './trainBench';

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

function report(name: string, engineMs: number, peerMs: number) {
  console.log(
    `${name.padEnd(46)} engine ${engineMs.toFixed(3).padStart(9)} ms   peer ${peerMs.toFixed(3).padStart(9)} ms   ratio engine/peer ${(engineMs / peerMs).toFixed(2)}`,
  );
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

if (wanted('train')) void benchTraining();

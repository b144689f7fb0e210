// Training steps per second: a train cell run through the engine as the panel
// runs it (progress events with losses, accuracy and the 40×40 decision grid at
// the panel's 50 ms rate, all in CE Lab's time) against PyTorch one thread on
// the same model (torch.manual_seed), the same data and optimizer, measured in
// alternating rounds so both see the same machine load; the best round of each counts.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { kernels, useKernelSet } from '../../core/compute/registry';
import { evaluateScenario } from '../../core/evaluate';
import type { TrainResult } from '../../core/results';

export interface TrainCase {
  name: string;
  widths: number[];
  activation: 'relu' | 'tanh';
  optimizer: Record<string, unknown> & { type: string };
  points: number;
  steps: number;
}

export const TRAIN_CASES: TrainCase[] = [
  {
    name: 'MLP 2-64-64-2 relu, Adam lr 0.01, 512 moons',
    widths: [2, 64, 64, 2],
    activation: 'relu',
    optimizer: { type: 'adam', lr: 0.01 },
    points: 512,
    steps: 1000,
  },
  {
    name: 'MLP 2-16-16-2 tanh, SGD lr 0.1 momentum 0.9, 256 moons',
    widths: [2, 16, 16, 2],
    activation: 'tanh',
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
    points: 256,
    steps: 3000,
  },
];

export const PANEL_PROGRESS_MS = 50;
const SEED = 0;

export function trainScenario(c: TrainCase, steps = c.steps): string {
  return JSON.stringify({
    version: 1,
    dtype: 'float32',
    cells: [
      {
        type: 'train',
        id: 'bench',
        model: { layers: c.widths, activation: c.activation, init: { torch_seed: SEED } },
        data: { dataset: 'moons', n: c.points },
        optimizer: c.optimizer,
        steps,
      },
    ],
  });
}

/** Wall-clock and CPU seconds of one run. */
interface Timing {
  seconds: number;
  cpuSeconds: number;
}

/** Runs the scenario through the engine: time from start to the cell's result, and the result. */
async function runCeLab(c: TrainCase): Promise<Timing & { result: TrainResult }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let result: TrainResult | null = null;
  let grids = 0;
  for await (const event of evaluateScenario(trainScenario(c), { progressIntervalMs: PANEL_PROGRESS_MS })) {
    if (event.kind === 'train-progress' && event.boundary) grids += 1;
    if (event.kind === 'cell-result' && event.result.type === 'train') result = event.result;
    if (event.kind === 'cell-failed') throw new Error(`bench scenario failed: ${event.result.error.message}`);
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  if (!result || grids === 0) throw new Error('bench scenario gave no result or no decision grid');
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, result };
}

interface TorchAnswer {
  seconds: number;
  cpu_seconds: number;
  first_losses: number[];
  torch: string;
}

type AskTorch = (request: object) => Promise<TorchAnswer>;

/** A long-lived `/usr/bin/python3 torchTrain.py` and its torch version, or null when Python or torch is missing. */
async function startTorch(script: string): Promise<{ ask: AskTorch; version: string; stop: () => void } | null> {
  const child = spawn('/usr/bin/python3', [script], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string | null) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  child.on('close', () => waiting.splice(0).forEach((w) => w(null)));
  child.on('error', () => waiting.splice(0).forEach((w) => w(null)));
  const send = (request: object) =>
    new Promise<TorchAnswer | null>((resolve) => {
      waiting.push((line) => resolve(line === null ? null : (JSON.parse(line) as TorchAnswer)));
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  const probe = await send({
    dtype: 'float32',
    seed: 0,
    widths: [1, 1],
    activation: 'relu',
    optimizer: { type: 'sgd', lr: 0.1 },
    x: [[0]],
    target: [0],
    steps: 1,
  });
  const stop = () => child.stdin.end();
  if (!probe) {
    stop();
    return null;
  }
  const ask: AskTorch = async (request) => {
    const answer = await send(request);
    if (!answer) throw new Error('the PyTorch peer stopped');
    return answer;
  };
  return { ask, version: probe.torch, stop };
}

export interface TrainRow {
  name: string;
  peer: string;
  ceLabStepsPerSecond: number;
  peerStepsPerSecond: number;
  /** The same in CPU time, steadier on a busy machine. */
  ceLabCpuStepsPerSecond: number;
  peerCpuStepsPerSecond: number;
}

type Peer = { name: string; time(c: TrainCase, result: TrainResult): Promise<Timing> };

/** PyTorch one thread; it must start from CE Lab's first loss, or the two did not train the same model on the same data. */
function torchPeer(torch: AskTorch, version: string): Peer {
  return {
    name: `PyTorch ${version} 1 thread`,
    async time(c, result) {
      const points = result.view.points;
      if (!points) throw new Error('bench scenario has no 2-D points');
      const answer = await torch({
        dtype: 'float32',
        seed: SEED,
        widths: c.widths,
        activation: c.activation,
        optimizer: c.optimizer,
        x: points.x,
        target: points.target,
        steps: c.steps,
      });
      const [ours, theirs] = [result.losses[0], answer.first_losses[0]];
      if (!(Math.abs(ours - theirs) <= 1e-6 * Math.abs(theirs)))
        throw new Error(`${c.name}: PyTorch starts at loss ${theirs}, CE Lab at ${ours}: not the same model and data`);
      return { seconds: answer.seconds, cpuSeconds: answer.cpu_seconds };
    },
  };
}

/** Without PyTorch: the same run on the plain-TypeScript kernels. */
const typescriptPeer: Peer = {
  name: 'CE Lab on typescript kernels',
  async time(c) {
    const active = kernels().name;
    useKernelSet('typescript');
    try {
      return await runCeLab(c);
    } finally {
      useKernelSet(active);
    }
  },
};

/** Alternating rounds, so both see the same machine load; the best round of each counts. */
export async function benchTrain(c: TrainCase, peer: Peer, rounds = 3): Promise<TrainRow> {
  const best = { ceLab: 0, peer: 0, ceLabCpu: 0, peerCpu: 0 };
  for (let round = 0; round < rounds; round++) {
    const ours = await runCeLab(c);
    const theirs = await peer.time(c, ours.result);
    best.ceLab = Math.max(best.ceLab, c.steps / ours.seconds);
    best.peer = Math.max(best.peer, c.steps / theirs.seconds);
    best.ceLabCpu = Math.max(best.ceLabCpu, c.steps / ours.cpuSeconds);
    best.peerCpu = Math.max(best.peerCpu, c.steps / theirs.cpuSeconds);
  }
  return {
    name: c.name,
    peer: peer.name,
    ceLabStepsPerSecond: best.ceLab,
    peerStepsPerSecond: best.peer,
    ceLabCpuStepsPerSecond: best.ceLabCpu,
    peerCpuStepsPerSecond: best.peerCpu,
  };
}

export async function benchTraining(): Promise<TrainRow[]> {
  const torch = await startTorch(path.resolve('scripts/bench/torchTrain.py'));
  if (!torch) console.log('PyTorch not found (/usr/bin/python3 with torch): training compared with the plain-TypeScript kernels instead.');
  const peer = torch ? torchPeer(torch.ask, torch.version) : typescriptPeer;
  const rows: TrainRow[] = [];
  for (const c of TRAIN_CASES) {
    const row = await benchTrain(c, peer);
    console.log(
      `train ${row.name}, float32, ${kernels().name} kernels: ${row.ceLabStepsPerSecond.toFixed(0)} steps/s; ${row.peer}: ${row.peerStepsPerSecond.toFixed(0)} steps/s; ratio ${(row.ceLabStepsPerSecond / row.peerStepsPerSecond).toFixed(2)}× (cpu ${(row.ceLabCpuStepsPerSecond / row.peerCpuStepsPerSecond).toFixed(2)}×)`,
    );
    rows.push(row);
  }
  torch?.stop();
  return rows;
}

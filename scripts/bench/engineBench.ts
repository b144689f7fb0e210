// `npm run bench` (bundled by scripts/bench.mjs). Every case of cases/*.ts is
// timed in its own Node process (so one case's JIT feedback cannot slow
// another), then the same work in PyTorch (/usr/bin/python3, one thread) right
// after it; one table, and bench-results.json. Without PyTorch it says so and
// compares against the plain-TypeScript kernels. Add an area's cases as a
// module under cases/ and list it in CASES. `npm run bench -- TEXT` runs the
// cases whose id contains TEXT.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import type { KernelSetName } from '../../core/compute/kernelSet';
import { kernels, useKernelSet } from '../../core/compute/registry';
import { useNodeMemory } from '../../node/unfilledMemory';
import { medianSeconds, type BenchCase, type Timing } from './benchCase';
import { lossCases } from './cases/loss';
import { TorchPeer } from './torchPeer';
import { benchTraining, type TrainRow } from './trainBench';

const CASES: BenchCase[] = [...lossCases];

/** Child mode: `engineBench.js --case ID [--kernels NAME]` prints the case's Timing and kernel set as JSON. */
function timeOneCase(id: string, kernelSet: KernelSetName | undefined): void {
  const found = CASES.find((c) => c.id === id);
  if (!found) throw new Error(`no bench case ${id}`);
  if (kernelSet) useKernelSet(kernelSet);
  process.stdout.write(JSON.stringify({ ...medianSeconds(found.prepare()), kernels: kernels().name }));
}

function timeInChild(id: string, kernelSet?: KernelSetName): Timing & { kernels: KernelSetName } {
  const args = [process.argv[1], '--case', id, ...(kernelSet ? ['--kernels', kernelSet] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`bench case ${id} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

function formatTime(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(1)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${seconds.toFixed(2)} s`;
}

async function main(): Promise<void> {
  const torch = await TorchPeer.start();
  const peerName = torch instanceof TorchPeer ? `PyTorch ${torch.version} (1 thread)` : 'TS kernels';
  if (!(torch instanceof TorchPeer)) console.log(`PyTorch not available (${torch.missing}): comparing against the plain-TypeScript kernels instead.`);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`CE Lab engine vs ${peerName}, same run; node ${process.version}, ${cpu}, ${os.cpus().length} cores.`);
  console.log(
    'Median per call. speed = peer time / CE Lab time (≥ 1: CE Lab is as fast or faster); "cpu" compares CPU time, "best" the best batches (both steadier on a busy machine).',
  );

  const only = process.argv[2];
  const rows = [];
  let group = '';
  const widths = [34, 8, 11, 11, 7, 7, 7];
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  for (const c of CASES.filter((k) => !only || k.id.includes(only))) {
    if (c.group !== group) {
      group = c.group;
      console.log(`\n${group}`);
      line(['shape', 'dtype', 'CE Lab', torch instanceof TorchPeer ? 'PyTorch' : 'TS kernels', 'speed', 'cpu', 'best']);
    }
    const celab = timeInChild(c.id);
    const peer = torch instanceof TorchPeer ? await torch.time(c) : timeInChild(c.id, 'typescript');
    const speed = peer.wall / celab.wall;
    const cpuSpeed = peer.cpu / celab.cpu;
    const bestSpeed = peer.best / celab.best;
    line([
      c.shape,
      c.dtype,
      formatTime(celab.wall),
      formatTime(peer.wall),
      `${speed.toFixed(2)}×`,
      `${cpuSpeed.toFixed(2)}×`,
      `${bestSpeed.toFixed(2)}×`,
    ]);
    if (c.unit === 'step') console.log(`  ${Math.round(1 / celab.wall)} vs ${Math.round(1 / peer.wall)} steps/s`);
    rows.push({ id: c.id, group: c.group, shape: c.shape, dtype: c.dtype, kernels: celab.kernels, celab, peer, speed, cpuSpeed, bestSpeed });
  }
  if (torch instanceof TorchPeer) torch.close();
  let training: TrainRow[] = [];
  if (!only || 'train'.includes(only)) {
    console.log('\ntraining (a train cell as the panel runs it, progress events and decision grid included)');
    training = await benchTraining();
  }
  const machine = { cpu, cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg() };
  writeFileSync('bench-results.json', `${JSON.stringify({ date: new Date().toISOString(), machine, peer: peerName, rows, training }, null, 2)}\n`);
  console.log('\nWritten: bench-results.json');
}

// As in the engine worker and the CLI.
useNodeMemory();
const caseAt = process.argv.indexOf('--case');
if (caseAt >= 0) {
  const kernelSet = process.argv[process.argv.indexOf('--kernels') + 1];
  const known = (name: string | undefined): name is KernelSetName => name === 'wasm-simd' || name === 'typescript';
  timeOneCase(process.argv[caseAt + 1], known(kernelSet) ? kernelSet : undefined);
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

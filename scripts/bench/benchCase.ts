// What a benchmark case is: a CE Lab call and the same work in PyTorch, timed
// side by side in one `npm run bench` run. Each area of the engine keeps its
// cases in its own module under cases/ (registered in engineBench.ts).
import type { Dtype } from '../../core/results';

export interface BenchCase {
  /** Unique, stable: the key in bench-results.json. */
  id: string;
  /** The table section, e.g. "cross_entropy forward + backward". */
  group: string;
  /** The size column, e.g. "4096 × 1000". */
  shape: string;
  dtype: Dtype;
  /** How one timed call is counted: a call (shown in ms/µs) or a training step (also shown as steps/s). */
  unit: 'call' | 'step';
  /** Builds the inputs (not timed) and returns the call to time. */
  prepare(): () => void;
  /** Python source defining setup(), which builds the same inputs with torch and returns the call to time (torch runs one thread). */
  torch: string;
}

/**
 * Median seconds per call, by the wall clock and in CPU time (the second is
 * steadier on a busy machine), and the best batch's wall time per call (the
 * steadiest when other jobs share the cores: a batch that ran uninterrupted).
 */
export interface Timing {
  wall: number;
  cpu: number;
  best: number;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Times `fn` in batches of at least ~2 ms (so microsecond calls are measured
 * too), batches repeated for ~0.5 s; the median per call.
 */
export function medianSeconds(fn: () => void, budgetMs = 500): Timing {
  for (let i = 0; i < 3; i++) fn();
  let batch = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - start >= 2 || batch >= 1 << 20) break;
    batch *= 2;
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  const end = performance.now() + budgetMs;
  while (wall.length < 7 || performance.now() < end) {
    const start = performance.now();
    const cpuStart = cpuSeconds();
    for (let i = 0; i < batch; i++) fn();
    cpu.push((cpuSeconds() - cpuStart) / batch);
    wall.push((performance.now() - start) / batch / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), best: Math.min(...wall) };
}

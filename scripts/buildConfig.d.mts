// Types of buildConfig.mjs, for the tests that build with it.
import type { BuildOptions } from 'esbuild';

export function webWorkerOptions(common: BuildOptions): BuildOptions;
export function buildOptions(options?: { production?: boolean }): Record<'extension' | 'worker' | 'webExtension' | 'webview' | 'cli', BuildOptions>;

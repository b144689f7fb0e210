import type { Browser } from 'playwright-core';
export declare const repoRoot: string;
export declare const CHROMIUM_PATH: string;
export declare function startServer(): Promise<{ url: string; close: () => Promise<void> }>;
export declare function launchChromium(): Promise<Browser>;

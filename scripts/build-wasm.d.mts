import type { Slot } from '../core/compute/wasmCalls';

export function buildWasm(options?: { quiet?: boolean }): Promise<void>;
export function readCallTable(): Promise<Record<string, readonly Slot[]>>;
export function assemblyScriptCalls(calls: Record<string, readonly Slot[]>): string;

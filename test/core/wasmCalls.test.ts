// The kernels' call format is one table (core/compute/wasmCalls.ts): the wasm
// build generates the AssemblyScript readers from it, and the TypeScript side
// packs calls by its slot names (a slot renamed or dropped fails the compile
// or the typecheck). These check the rest: every slot the table lists is read
// by a kernel, and no kernel reads its arguments past the readers.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WASM_CALLS } from '../../core/compute/wasmCalls';

const WASM = path.resolve(__dirname, '../../wasm');
const GENERATED = 'calls.generated.ts';
const kernelSources = readdirSync(WASM)
  .filter((f) => f.endsWith('.ts') && f !== GENERATED)
  .map((f) => readFileSync(path.join(WASM, f), 'utf8'))
  .join('\n');
const uses = (identifier: string) => new RegExp(`\\b${identifier}\\(`).test(kernelSources);

describe('the WebAssembly call table', () => {
  it.each(Object.entries(WASM_CALLS))('%s: every slot is read by the kernels (through its generated reader)', (kernel, slots) => {
    const unread = slots.map(({ name }) => `${kernel}${name[0].toUpperCase()}${name.slice(1)}`).filter((reader) => !uses(reader));
    expect(unread).toEqual([]);
    const number = `KERNEL_${kernel.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    expect(kernelSources).toMatch(new RegExp(`case ${number}:`));
  });

  it('is the only way the kernels read a call: no positional loads of arguments', () => {
    const loads = [...kernelSources.matchAll(/load<f64>\(([^)]*)\)/g)].map((m) => m[1]);
    // The block's header (kernel, dtype) is all wasm/index.ts reads itself.
    expect(loads.sort()).toEqual(['PARAMS', 'PARAMS + 8']);
  });

  it('has unique slot names per kernel', () => {
    for (const slots of Object.values(WASM_CALLS)) expect(new Set(slots.map((s) => s.name)).size).toBe(slots.length);
  });
});

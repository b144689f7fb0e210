// Runs a suite once per kernel set this runtime has (WebAssembly SIMD, plain
// TypeScript), with that set active: tfjs's ALL_ENVS way of testing backends.
import { afterAll, beforeAll, describe } from 'vitest';
import type { KernelSetName } from '../../core/compute/kernelSet';
import { availableKernelSets, kernels, useKernelSet } from '../../core/compute/registry';
import { wasmSmallCalls } from '../../core/compute/wasmKernels';

export const KERNEL_SETS: KernelSetName[] = availableKernelSets().map((k) => k.name);

export function describeEachKernelSet(title: string, suite: (name: KernelSetName) => void): void {
  describe.each(KERNEL_SETS)(`%s kernels: ${title}`, (name) => {
    let previous: KernelSetName;
    const { typescriptBelow } = wasmSmallCalls;
    beforeAll(() => {
      previous = kernels().name;
      useKernelSet(name);
      // Golden cases are small: make them reach the WebAssembly code, not its small-call shortcut.
      wasmSmallCalls.typescriptBelow = 0;
    });
    afterAll(() => {
      useKernelSet(previous);
      wasmSmallCalls.typescriptBelow = typescriptBelow;
    });
    suite(name);
  });
}

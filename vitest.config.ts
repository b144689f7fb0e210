import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/buildWasm.setup.ts'],
    setupFiles: ['test/poisonUnfilledMemory.setup.ts'],
    testTimeout: 60_000,
    // Type-level tests (expectTypeOf) in *.test-d.ts run through tsc as part of `vitest run`.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
  },
});

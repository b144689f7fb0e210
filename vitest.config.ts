import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/buildWasm.setup.ts'],
    testTimeout: 60_000,
  },
});

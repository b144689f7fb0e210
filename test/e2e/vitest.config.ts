// The end-to-end suite runs alone (npm run test:e2e), never in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // Slow workbench moments are waited for on the condition; a test that fails once fails the run.
    retry: 0,
  },
});

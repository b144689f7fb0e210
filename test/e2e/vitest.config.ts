// The end-to-end suite runs alone (npm run test:e2e), never in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // No retries: a slow workbench is waited for on the condition (a quick-pick listing its row, a panel showing its
    // numbers), so a test that fails has failed.
    retry: 0,
  },
});

// The end-to-end suite runs alone (npm run test:e2e), never in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // A real workbench on a 2-core machine sometimes misses a quick-pick or a hover in time; a test that fails
    // for a reason of its own fails all three tries.
    retry: 2,
  },
});

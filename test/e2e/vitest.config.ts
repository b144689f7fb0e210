// The end-to-end suite runs alone (npm run test:e2e), never in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // Slow workbench moments are waited for on the condition; one retry stays for what is left (seen: a drag whose
    // undo step did not settle in time), and retriedReporter lists every test that passed only on it, never hidden.
    retry: 1,
    reporters: ['default', './test/e2e/retriedReporter.ts'],
  },
});

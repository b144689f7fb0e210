import { defineConfig } from 'vitest/config';

// `npm run test:huge`, on demand (minutes, 4 GB of disk): a 1e9-element logits file through the CLI.
export default defineConfig({
  test: {
    include: ['test/huge/**/*.huge.ts'],
    testTimeout: 1_800_000,
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:torch`: the engine against a real PyTorch (python3 with torch).
export default defineConfig({
  test: {
    include: ['test/torch/**/*.torch.ts'],
    setupFiles: ['test/torch/unfilledMemory.setup.ts'],
    testTimeout: 600_000,
  },
});

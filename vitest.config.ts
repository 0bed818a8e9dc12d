import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs wasm is single-threaded; two forks match the 2-core CI machine
    pool: 'forks',
    maxWorkers: 2,
  },
});

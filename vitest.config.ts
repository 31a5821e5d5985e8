import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the reference machine: integration tests share PostgreSQL, Redis and ports.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
  },
});

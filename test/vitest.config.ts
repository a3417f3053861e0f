import { defineConfig } from 'vitest/config';

// Each end-to-end test starts real runner processes: give them time, and run files one at a time so a
// 2-core machine is not asked to run several Jest worker pools at once.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});

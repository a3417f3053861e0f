import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Keep Vitest's own output and add the reporter: it promises the Buildkite job's failure on the first
    // failing test, and prints one line at the end. Outside Buildkite it does nothing.
    reporters: ['default', ['@promise-failure/vitest', { flushTimeout: 10_000 }]],
    // Several workers, so failures arrive from different processes: Buildkite is still asked once.
    pool: 'forks',
    maxWorkers: 3,
  },
});

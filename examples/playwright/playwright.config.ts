import { defineConfig } from '@playwright/test';
import type { PromiseFailureReporterOptions } from '@promise-failure/playwright';

export default defineConfig({
  testDir: 'tests',
  // Several workers, so failures arrive from different processes: Buildkite is still asked once.
  workers: 3,
  fullyParallel: true,
  // On CI a failing test gets a retry: the reporter promises only after its last attempt.
  retries: process.env.CI ? 1 : 0,
  // Keep Playwright's own output and add the reporter: it promises the Buildkite job's failure on the first
  // final failure, and prints one line at the end. Outside Buildkite it does nothing.
  reporter: [['list'], ['@promise-failure/playwright', { flushTimeout: 10_000 } satisfies PromiseFailureReporterOptions]],
  // These tests need no browser; a real suite would add `use: { baseURL }` and browser projects here.
});

import { defineConfig } from 'vitest/config';

/**
 * The one Vitest setup every package shares (like `tsup.config.base.ts` for the build). Each package's
 * `vitest.config.ts` is the single line `export default packageTestConfig();`.
 *
 * - Tests live beside the source (`src/**\/*.test.ts`) and, for integration tests, in `test/`.
 * - `src/**\/*.test-d.ts` type-test the public API with `tsc`, in the same run.
 * - Timeouts are generous: the integration tests start real servers and child processes on a 2-core
 *   machine that may be running another suite at the same time.
 * - The reporter is chosen here, not left to Vitest's guess from the environment (it picks a quieter one
 *   for some terminals and for AI agents): `default` prints each test file as it finishes, so a long run
 *   shows its progress even when its output is not a terminal (turbo, CI).
 */
export function packageTestConfig() {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      reporters: ['default'],
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  });
}

/**
 * The end-to-end tests in `test/`: each starts real runner processes (several workers each), so files run
 * one at a time and every test has minutes, not seconds. Their files run for minutes, so the `verbose`
 * reporter prints each test as it finishes (prefixed with its file), not each file.
 */
export function endToEndTestConfig() {
  return defineConfig({
    test: {
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/fixtures/**'],
      testTimeout: 120_000,
      hookTimeout: 60_000,
      fileParallelism: false,
      reporters: ['verbose'],
    },
  });
}

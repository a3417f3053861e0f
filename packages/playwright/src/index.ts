/**
 * `@promise-failure/playwright`: a Playwright Test reporter that promises the Buildkite job's failure on the
 * run's first final failure. Playwright loads it with `require` or `import` and uses the default export.
 *
 * ```ts
 * // playwright.config.ts
 * export default defineConfig({ reporter: [['list'], ['@promise-failure/playwright', { exitStatus: 2 }]] });
 * ```
 * @packageDocumentation
 */
import { PromiseFailureReporter } from './reporter.js';

export default PromiseFailureReporter;
export type { PromiseFailureReporterOptions } from './options.js';
export { PromiseFailureReporter };

/**
 * `@promise-failure/jest`: a Jest reporter that promises the Buildkite job's failure on the first failing
 * test file. Jest loads it with `require` and uses the default export.
 *
 * ```js
 * // jest.config.js
 * module.exports = { reporters: ['default', ['@promise-failure/jest', { exitStatus: 2 }]] };
 * ```
 * @packageDocumentation
 */
import { PromiseFailureReporter } from './reporter.js';

export default PromiseFailureReporter;
export type { PromiseFailureReporterOptions } from './options.js';
export { PromiseFailureReporter };

/**
 * `@promise-failure/mocha`: a Mocha reporter that promises the Buildkite job's failure on the run's first
 * failure, keeping the output of the reporter you choose.
 *
 * ```sh
 * mocha --reporter @promise-failure/mocha --reporter-option reporter=dot --reporter-option exitStatus=2
 * ```
 *
 * Loading this module hooks Mocha's loading of test files (see `installLoadFailureHooks`). Mocha 11 does not
 * unwrap `.default`: the CommonJS build exports the class itself (tsup `cjsInterop`).
 * @packageDocumentation
 */
import { installLoadFailureHooks, PromiseFailureReporter } from './reporter.js';

export type { PromiseFailureMochaOptions, PromiseFailureReporterOptions } from './options.js';
export default PromiseFailureReporter;

installLoadFailureHooks();

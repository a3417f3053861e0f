/**
 * `@promise-failure/node-test`: a reporter for Node's built-in test runner that promises the Buildkite
 * job's failure on the run's first final failure. Add it beside the reporter whose output you read:
 *
 * ```sh
 * node --test --test-reporter=spec --test-reporter-destination=stdout \
 *   --test-reporter=@promise-failure/node-test --test-reporter-destination=stderr
 * ```
 *
 * or compose it onto `run()` from `node:test`: `run({ files }).compose(promiseFailureReporter).pipe(process.stderr)`.
 * The default export is the reporter (an async generator function over the run's events), which is what
 * Node loads by name.
 * @packageDocumentation
 */
import { promiseFailureReporter } from './reporter.js';

export default promiseFailureReporter;
export type { TestEvent, TestEventData, TestEventDetails } from './events.js';

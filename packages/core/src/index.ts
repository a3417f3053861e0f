/**
 * `@promise-failure/core`: promise a Buildkite job's failure once per job and exit status.
 *
 * Importing this module is cheap: undici and the cross-process claim load on the first call.
 * @packageDocumentation
 */
export { ErrorCode, PromiseFailureError } from './errors.js';
export { promiseFailure } from './promise-failure.js';
export { type RecordedResultOptions, readRecordedResult } from './recorded-result.js';
export type { PromiseFailureOptions, PromiseFailureResult } from './types.js';

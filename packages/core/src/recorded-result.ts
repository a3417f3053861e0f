import { findRecord } from './claim/record.js';
import { type Env, isTurnedOff, readExitStatus } from './environment.js';
import { resultFor } from './promise-failure.js';
import type { PromiseFailureOptions, PromiseFailureResult } from './types.js';
import { validateOptions } from './validate-options.js';

/** The options of {@link readRecordedResult}: which job and exit status, as `promiseFailure` reads them. */
export type RecordedResultOptions = Pick<PromiseFailureOptions, 'exitStatus' | 'env'>;

/**
 * What Buildkite answered for this job and exit status, if an answer is recorded: a final outcome written
 * by whichever call got it, in this process or another on the machine, read synchronously, as `debounced`.
 * `undefined` when none is recorded (no answer yet, only a transient failure, not in a job, turned off, or
 * no lock directory to read).
 *
 * For a process's `exit` listener, where nothing can wait: a test that calls `process.exit()` while its
 * declaration is under way can still tell whether the failure was promised (the reporters' one line does).
 * Loads nothing beyond `node:fs`; nothing is created or sent.
 *
 * Throws only for invalid options (a `TypeError` or `RangeError` naming the option, as `promiseFailure`).
 *
 * @example
 * ```ts
 * process.on('exit', () => {
 *   const result = readRecordedResult({ exitStatus: 1 });
 *   if (result?.accepted) console.error('promised exit status 1');
 * });
 * ```
 */
export function readRecordedResult(options?: RecordedResultOptions): PromiseFailureResult | undefined {
  const call = validateOptions(options);
  const env: Env = call.env ?? process.env;
  const jobId = env.BUILDKITE_JOB_ID;
  if (!jobId || isTurnedOff(env.BUILDKITE_PROMISE_FAILURE)) return undefined;
  const exitStatus = call.exitStatus ?? readExitStatus(env.BUILDKITE_PROMISE_FAILURE_EXIT_STATUS);
  if (typeof exitStatus !== 'number') return undefined;
  const recorded = findRecord(env, jobId, exitStatus, ignoreLog);
  return recorded === undefined ? undefined : resultFor(recorded, undefined);
}

function ignoreLog(): void {}

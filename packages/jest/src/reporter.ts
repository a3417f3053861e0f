import { writeSync } from 'node:fs';
import { guard, printLine, type ReporterRun, reportInternalError, startReporterRun } from '@promise-failure/reporting';
import type { JestAggregatedResult, JestGlobalConfig, JestTestFileResult } from './jest-types.js';
import type { PromiseFailureReporterOptions } from './options.js';
import { findRunFailure, findTestFileFailures } from './reason.js';

/**
 * A Jest reporter that promises the Buildkite job's failure as soon as a test file's final result fails
 * the run, and waits for Buildkite's answer (at most `flushTimeout`) before Jest exits.
 *
 * It acts on whole test files, never on `onTestCaseResult`: that fires once per attempt under
 * `jest.retryTimes`, and a failed attempt that is retried and passes must not turn the job red.
 * Every hook is guarded and there is no `getLastError`: a throw from either would fail a green run.
 */
export class PromiseFailureReporter {
  readonly #run: ReporterRun;
  #updateSnapshot: string | undefined;
  /** Failures the test files' results showed, each passed to the run. */
  #failuresSeen = 0;

  constructor(globalConfig?: JestGlobalConfig, options?: PromiseFailureReporterOptions, _context?: unknown) {
    // With `testFailureExitCode: 0` the run cannot fail, so there is nothing to promise.
    this.#run = startReporterRun('@promise-failure/jest', options, {
      canFail: () => Number(globalConfig?.testFailureExitCode) !== 0,
      testEngineRunner: 'jest',
    });
    try {
      this.#updateSnapshot = globalConfig?.updateSnapshot;
    } catch (error) {
      reportInternalError('constructor', error);
    }
  }

  readonly onTestFileResult = guard('onTestFileResult', (_test: unknown, testResult: JestTestFileResult): void => {
    if (this.#run.settings === undefined || this.#run.failed) return;
    for (const failure of findTestFileFailures(testResult, { cwd: process.cwd(), updateSnapshot: this.#updateSnapshot })) {
      this.#failuresSeen += 1;
      this.#run.fail(() => failure.reason, failure.subject);
      if (this.#run.failed) return;
    }
  });

  /** Jest awaits this before it exits, also with `--forceExit` and `--bail` (which can call it twice). */
  readonly onRunComplete = guard('onRunComplete', async (_testContexts: unknown, results: JestAggregatedResult): Promise<void> => {
    if (this.#run.settings === undefined) return;
    if (!this.#run.failed) {
      // Only what no test file showed: the files' own failures were each judged already (under bktec, muted ones
      // are counted in `numFailedTests` and must not come back here as one failure of unknown tests).
      const failure = findRunFailure(results, this.#failuresSeen > 0);
      if (failure !== undefined) this.#run.fail(() => failure.reason, failure.subject);
    }
    await this.#run.finish(printAfterJest);
  });
}

/**
 * Jest calls its summary reporter after every custom one (it adds it last), so a line printed here would
 * come before `Tests: 1 failed` and, with one worker, right after the status line's escape sequences. The
 * wait for Buildkite happens in `onRunComplete`; the line itself is printed once Jest's own output is done:
 * on the next turn of the event loop, or when the process exits first (`--forceExit` exits within the same
 * turn), whichever comes first. Jest's `--forceExit` also replaces `process.stderr.write` with a function that
 * drops everything before it exits, so at exit the line is written to the file descriptor itself.
 */
function printAfterJest(line: string): void {
  let printed = false;
  const onExit = () => {
    if (printed) return;
    printed = true;
    try {
      writeSync(process.stderr.fd ?? 2, `${line}\n`);
    } catch {
      // Nowhere to say it.
    }
  };
  process.once('exit', onExit);
  setImmediate(() => {
    if (printed) return;
    printed = true;
    process.removeListener('exit', onExit);
    printLine(line);
  });
}

import { type FailureSubject, firstLine, formatReason } from '@promise-failure/reporting';
import type { JestAggregatedResult, JestSerializableError, JestTestFileResult } from './jest-types.js';

export interface TestFileContext {
  /** Paths in the reason are relative to it. */
  readonly cwd: string;
  /** Jest's `globalConfig.updateSnapshot`: with `all` (`-u`) obsolete snapshots are removed, not failed. */
  readonly updateSnapshot: string | undefined;
}

/** A failure that makes the run fail: the reason to send, and what failed (for Test Engine's muted tests). */
export interface JestFailure {
  readonly reason: string;
  readonly subject: FailureSubject;
}

/**
 * Every failure in this test file's final result that makes the run fail, in Jest's order: each failed test,
 * then the file's own error, then its obsolete snapshots. These are the counters Jest itself adds up to decide
 * the exit code (`numFailedTests`, `numRuntimeErrorTestSuites`, `snapshot.failure`), read one file at a time so
 * the first failing file is enough. Each failed test is named for Test Engine as bktec names it from Jest's JSON
 * report (its `internal/runner/jest.go`): scope, the `describe` titles joined by spaces; name, the test's title.
 * A file that failed with no test results is a runtime error to bktec (never forgiven); an error beside results
 * (a throwing `afterAll`) is not a test's.
 */
export function findTestFileFailures(result: JestTestFileResult, context: TestFileContext): JestFailure[] {
  const file = result.testFilePath;
  const failures: JestFailure[] = [];
  if (result.numFailingTests > 0) {
    for (const test of result.testResults) {
      if (test.status !== 'failed') continue;
      const name = [...test.ancestorTitles, test.title].join(' › ');
      failures.push({
        reason: formatReason('jest', `${name} failed`, file, context.cwd),
        subject: { kind: 'test', testEngine: { scope: test.ancestorTitles.join(' '), name: test.title } },
      });
    }
    if (failures.length === 0)
      failures.push({ reason: formatReason('jest', 'a test failed', file, context.cwd), subject: { kind: 'test' } });
  }
  if (result.testExecError) {
    const error = describeError(result.testExecError, result.failureMessage);
    failures.push({
      reason: formatReason('jest', `test file failed to run: ${error}`, file, context.cwd),
      subject: { kind: result.testResults.length === 0 ? 'file' : 'other' },
    });
  }
  const obsolete = (result.snapshot?.unchecked ?? 0) + (result.snapshot?.unmatched ?? 0);
  if (obsolete > 0 && context.updateSnapshot !== 'all') {
    const snapshots = obsolete === 1 ? '1 obsolete snapshot' : `${obsolete} obsolete snapshots`;
    failures.push({ reason: formatReason('jest', `${snapshots} failed the run`, file, context.cwd), subject: { kind: 'other' } });
  }
  return failures;
}

/** The reason of the first failure in this test file's final result, else `undefined` ({@link findTestFileFailures}). */
export function findTestFileFailure(result: JestTestFileResult, context: TestFileContext): string | undefined {
  return findTestFileFailures(result, context)[0]?.reason;
}

/**
 * What makes the whole run fail once every file is in, for the failures no single file shows: obsolete
 * snapshot files (Jest counts them after the last file) or an error of the run itself; and, when the files'
 * results showed no failure at all (`filesShowedFailures` false), Jest's own counts of them.
 */
export function findRunFailure(results: JestAggregatedResult, filesShowedFailures = false): JestFailure | undefined {
  const other = (reason: string): JestFailure => ({ reason, subject: { kind: 'other' } });
  if (results.runExecError) return other(`jest: the run failed: ${describeError(results.runExecError, undefined)}`);
  if (!filesShowedFailures && results.numFailedTests > 0) {
    return {
      reason: `jest: ${results.numFailedTests === 1 ? '1 test' : `${results.numFailedTests} tests`} failed`,
      subject: { kind: 'test' },
    };
  }
  if (!filesShowedFailures && results.numRuntimeErrorTestSuites > 0)
    return { reason: 'jest: a test file failed to run', subject: { kind: 'file' } };
  if (results.snapshot?.failure) {
    const files = results.snapshot.filesRemoved ?? 0;
    return other(files > 0 ? 'jest: obsolete snapshot files failed the run' : 'jest: obsolete snapshots failed the run');
  }
  return undefined;
}

/**
 * One line saying what went wrong. A throwing `afterAll` arrives with an empty `message` (Jest 29 and 30)
 * and the text only in `stack` ("Error: cleanup failed") and in the formatted `failureMessage`.
 */
export function describeError(error: JestSerializableError, failureMessage: string | null | undefined): string {
  const fromMessage = firstLine(error.message);
  if (fromMessage) return fromMessage;
  const fromStack = firstLine(error.stack)?.replace(/^[\w$]*Error: /, '');
  if (fromStack && !/^[\w$]*Error:?$/.test(fromStack)) return fromStack;
  // The formatted failure starts with its title (`● Test suite failed to run`): skip it.
  return firstLine(failureMessage?.replace(/^[^\S\n]*(?:\u001b\[[0-9;]*m)*●.*$/gm, '')) ?? 'no error message';
}

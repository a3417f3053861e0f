import { firstLine, formatReason } from '@promise-failure/reporting';
import type { JestAggregatedResult, JestSerializableError, JestTestFileResult } from './jest-types.js';

export interface TestFileContext {
  /** Paths in the reason are relative to it. */
  readonly cwd: string;
  /** Jest's `globalConfig.updateSnapshot`: with `all` (`-u`) obsolete snapshots are removed, not failed. */
  readonly updateSnapshot: string | undefined;
}

/**
 * The reason to send when this test file's final result makes the run fail, else `undefined`. These are
 * the counters Jest itself adds up to decide the exit code (`numFailedTests`, `numRuntimeErrorTestSuites`,
 * `snapshot.failure`), read one file at a time so the first failing file is enough.
 */
export function findTestFileFailure(result: JestTestFileResult, context: TestFileContext): string | undefined {
  const file = result.testFilePath;
  if (result.numFailingTests > 0) {
    const test = result.testResults.find((assertion) => assertion.status === 'failed');
    const name = test ? [...test.ancestorTitles, test.title].join(' › ') : 'a test';
    return formatReason('jest', `${name} failed`, file, context.cwd);
  }
  if (result.testExecError) {
    const error = describeError(result.testExecError, result.failureMessage);
    return formatReason('jest', `test file failed to run: ${error}`, file, context.cwd);
  }
  const obsolete = (result.snapshot?.unchecked ?? 0) + (result.snapshot?.unmatched ?? 0);
  if (obsolete > 0 && context.updateSnapshot !== 'all') {
    const snapshots = obsolete === 1 ? '1 obsolete snapshot' : `${obsolete} obsolete snapshots`;
    return formatReason('jest', `${snapshots} failed the run`, file, context.cwd);
  }
  return undefined;
}

/**
 * What makes the whole run fail once every file is in, for the failures no single file shows: obsolete
 * snapshot files (Jest counts them after the last file) or an error of the run itself.
 */
export function findRunFailure(results: JestAggregatedResult): string | undefined {
  if (results.runExecError) return `jest: the run failed: ${describeError(results.runExecError, undefined)}`;
  if (results.numFailedTests > 0) return `jest: ${results.numFailedTests === 1 ? '1 test' : `${results.numFailedTests} tests`} failed`;
  if (results.numRuntimeErrorTestSuites > 0) return 'jest: a test file failed to run';
  if (results.snapshot?.failure) {
    const files = results.snapshot.filesRemoved ?? 0;
    return files > 0 ? 'jest: obsolete snapshot files failed the run' : 'jest: obsolete snapshots failed the run';
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

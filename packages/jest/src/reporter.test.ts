import { captureStderr } from '@promise-failure/reporting/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PromiseFailureReporter } from './reporter.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PromiseFailureReporter', () => {
  test('an invalid option: one warning line, and the reporter stays quiet after it', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter({ testFailureExitCode: 1 }, { exitStatus: 0 });
    reporter.onTestFileResult(undefined, {
      testFilePath: '/x.test.js',
      numFailingTests: 1,
      testResults: [{ ancestorTitles: [], title: 't', status: 'failed' }],
    });
    await reporter.onRunComplete(undefined, { numFailedTests: 1, numRuntimeErrorTestSuites: 0 });
    expect(lines).toEqual([
      'promise-failure: @promise-failure/jest is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.\n',
    ]);
  });

  test('never throws into Jest, whatever it is given, and says so once per hook', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter(undefined, undefined, undefined);
    expect(() => reporter.onTestFileResult(undefined, undefined as never)).not.toThrow();
    expect(() => reporter.onTestFileResult(undefined, undefined as never)).not.toThrow();
    await expect(reporter.onRunComplete(undefined, undefined as never)).resolves.toBeUndefined();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^promise-failure: internal error in onTestFileResult: TypeError: /);
    expect(lines[1]).toMatch(/^promise-failure: internal error in onRunComplete: TypeError: /);
  });

  test('testFailureExitCode: 0: the run cannot fail, so nothing is promised or printed', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter({ testFailureExitCode: 0 }, {});
    reporter.onTestFileResult(undefined, {
      testFilePath: '/x.test.js',
      numFailingTests: 1,
      testResults: [{ ancestorTitles: [], title: 't', status: 'failed' }],
    });
    await reporter.onRunComplete(undefined, { numFailedTests: 1, numRuntimeErrorTestSuites: 0 });
    expect(lines).toEqual([]);
  });

  test('has no getLastError: an error from it would fail a green run', () => {
    expect('getLastError' in new PromiseFailureReporter()).toBe(false);
    expect('onTestCaseResult' in new PromiseFailureReporter()).toBe(false);
  });
});

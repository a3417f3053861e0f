import { describe, expect, test } from 'vitest';
import type { JestTestFileResult } from './jest-types.js';
import { describeError, findRunFailure, findTestFileFailure, findTestFileFailures } from './reason.js';

const context = { cwd: '/repo', updateSnapshot: 'new' };

function fileResult(overrides: Partial<JestTestFileResult>): JestTestFileResult {
  return { testFilePath: '/repo/test/login.test.js', numFailingTests: 0, testResults: [], ...overrides };
}

const passed = { ancestorTitles: ['login'], title: 'accepts the right password', status: 'passed' };
const failed = { ancestorTitles: ['login', 'form'], title: 'rejects bad password', status: 'failed' };

describe('findTestFileFailure', () => {
  test('names the runner, the first failing test in full and its file relative to cwd', () => {
    const result = fileResult({ numFailingTests: 1, testResults: [passed, failed] });
    expect(findTestFileFailure(result, context)).toBe('jest: login › form › rejects bad password failed (test/login.test.js)');
  });

  test('a file whose tests passed, were skipped, todo or expected to fail does not fail the run', () => {
    const result = fileResult({
      testResults: [
        passed,
        { ancestorTitles: [], title: 'skipped', status: 'pending' },
        { ancestorTitles: [], title: 'later', status: 'todo' },
        // `test.failing` that fails arrives as passed.
        { ancestorTitles: [], title: 'known bug', status: 'passed' },
      ],
      snapshot: { unchecked: 0, unmatched: 0 },
    });
    expect(findTestFileFailure(result, context)).toBeUndefined();
  });

  test('a file that failed to run (syntax error, throwing afterAll)', () => {
    const syntax = fileResult({ testExecError: { message: 'Unexpected end of input', stack: '' } });
    expect(findTestFileFailure(syntax, context)).toBe('jest: test file failed to run: Unexpected end of input (test/login.test.js)');
    // A throwing afterAll leaves the message empty: the stack still says what was thrown.
    const afterAll = fileResult({
      testResults: [passed],
      testExecError: { message: '', stack: 'Error: cleanup failed\n    at Object.<anonymous> (/repo/test/login.test.js:1:24)' },
    });
    expect(findTestFileFailure(afterAll, context)).toBe('jest: test file failed to run: cleanup failed (test/login.test.js)');
  });

  test('obsolete snapshots fail the run unless they are being removed with -u', () => {
    const result = fileResult({ testResults: [passed], snapshot: { unchecked: 2, unmatched: 0 } });
    expect(findTestFileFailure(result, context)).toBe('jest: 2 obsolete snapshots failed the run (test/login.test.js)');
    expect(findTestFileFailure(result, { ...context, updateSnapshot: 'none' })).toBeDefined();
    expect(findTestFileFailure(result, { ...context, updateSnapshot: 'all' })).toBeUndefined();
  });
});

describe('describeError', () => {
  test('the first line of the message, else of the stack, else of the formatted failure', () => {
    expect(describeError({ message: '\n  first\nsecond' }, undefined)).toBe('first');
    expect(describeError({ message: '', stack: 'TypeError: x is not a function\n    at y' }, undefined)).toBe('x is not a function');
    expect(
      describeError(
        { message: '', stack: 'Error\n    at y' },
        '\n\n  \u001b[1m● Test suite failed to run\u001b[22m\n\n    thrown: undefined\n',
      ),
    ).toBe('thrown: undefined');
    expect(describeError({}, null)).toBe('no error message');
  });

  test('cuts a very long line', () => {
    expect(describeError({ message: 'x'.repeat(1_000) }, undefined)).toHaveLength(200);
  });
});

describe('findRunFailure', () => {
  const run = { numFailedTests: 0, numRuntimeErrorTestSuites: 0, snapshot: { failure: false, filesRemoved: 0 } };

  test('a green run', () => {
    expect(findRunFailure(run)).toBeUndefined();
  });

  test('what only the whole run shows', () => {
    expect(findRunFailure({ ...run, snapshot: { failure: true, filesRemoved: 1 } })).toEqual({
      reason: 'jest: obsolete snapshot files failed the run',
      subject: { kind: 'other' },
    });
    expect(findRunFailure({ ...run, runExecError: { message: 'worker crashed' } })?.reason).toBe('jest: the run failed: worker crashed');
    expect(findRunFailure({ ...run, numFailedTests: 2 })).toEqual({ reason: 'jest: 2 tests failed', subject: { kind: 'test' } });
  });

  test("never counts again the failures the files' results showed (each was judged already)", () => {
    expect(findRunFailure({ ...run, numFailedTests: 2, numRuntimeErrorTestSuites: 1 }, true)).toBeUndefined();
    expect(findRunFailure({ ...run, numFailedTests: 2, snapshot: { failure: true } }, true)?.subject).toEqual({ kind: 'other' });
  });
});

describe('findTestFileFailures', () => {
  const context = { cwd: '/repo', updateSnapshot: 'new' } as const;
  const base = { testFilePath: '/repo/test/a.test.js', numFailingTests: 0, testResults: [] };

  test("names each failed test as bktec does: the describe titles joined by spaces, and the test's title", () => {
    const result = {
      ...base,
      numFailingTests: 2,
      testResults: [
        { ancestorTitles: ['login', 'form'], title: 'rejects', status: 'failed' },
        { ancestorTitles: [], title: 'passes', status: 'passed' },
        { ancestorTitles: ['top'], title: 'also fails', status: 'failed' },
      ],
    };
    expect(findTestFileFailures(result, context)).toEqual([
      {
        reason: 'jest: login › form › rejects failed (test/a.test.js)',
        subject: { kind: 'test', testEngine: { scope: 'login form', name: 'rejects' } },
      },
      {
        reason: 'jest: top › also fails failed (test/a.test.js)',
        subject: { kind: 'test', testEngine: { scope: 'top', name: 'also fails' } },
      },
    ]);
  });

  test('a file that failed with no test results is a file failure; an error beside results is not a test', () => {
    const syntax = { ...base, testExecError: { message: 'Unexpected token' } };
    expect(findTestFileFailures(syntax, context).map((failure) => failure.subject)).toEqual([{ kind: 'file' }]);
    const afterAll = { ...syntax, testResults: [{ ancestorTitles: [], title: 't', status: 'passed' }] };
    expect(findTestFileFailures(afterAll, context).map((failure) => failure.subject)).toEqual([{ kind: 'other' }]);
  });
});

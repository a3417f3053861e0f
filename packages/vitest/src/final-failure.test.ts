import { describe, expect, test } from 'vitest';
import { fullTestName, isFinalFailure, type RunnerTest } from './final-failure.js';

/** A test as `@vitest/runner` hands it to `onTestFailed`: the attempt that just ended has failed. */
function failedAttempt(fields: Partial<RunnerTest> & { retryCount?: number } = {}): RunnerTest {
  const { retryCount = 0, ...rest } = fields;
  return { name: 't', result: { state: 'fail', retryCount }, ...rest };
}

describe('isFinalFailure', () => {
  test('a failed test without retries is final', () => {
    expect(isFinalFailure(failedAttempt())).toBe(true);
  });

  test('with retry: 2, only the third attempt (two retries made) is final', () => {
    expect(isFinalFailure(failedAttempt({ retry: 2, retryCount: 0 }))).toBe(false);
    expect(isFinalFailure(failedAttempt({ retry: 2, retryCount: 1 }))).toBe(false);
    expect(isFinalFailure(failedAttempt({ retry: 2, retryCount: 2 }))).toBe(true);
  });

  test("Vitest 4's retry object counts by its count; an unreadable retry is no retry", () => {
    expect(isFinalFailure(failedAttempt({ retry: { count: 1, delay: 10 }, retryCount: 0 }))).toBe(false);
    expect(isFinalFailure(failedAttempt({ retry: { count: 1 }, retryCount: 1 }))).toBe(true);
    expect(isFinalFailure(failedAttempt({ retry: { delay: 10 } }))).toBe(true);
    expect(isFinalFailure(failedAttempt({ retry: 'twice' }))).toBe(true);
  });

  test('left to the reporter: test.fails (inverted after the last attempt) and repeats', () => {
    expect(isFinalFailure(failedAttempt({ fails: true }))).toBe(false);
    expect(isFinalFailure(failedAttempt({ repeats: 3 }))).toBe(false);
    expect(isFinalFailure(failedAttempt({ repeats: 0 }))).toBe(true);
  });

  test('an attempt that did not fail (passed, skipped, no result) is not a failure', () => {
    expect(isFinalFailure({ result: { state: 'pass' } })).toBe(false);
    expect(isFinalFailure({ result: { state: 'skip' } })).toBe(false);
    expect(isFinalFailure({})).toBe(false);
  });
});

describe('fullTestName', () => {
  const file = { name: 'login.test.ts', filepath: '/repo/login.test.ts' };

  test("the blocks' names and the test's, joined as Vitest's reporters join them; the file is left out", () => {
    const outer = { name: 'login', suite: file };
    const inner = { name: 'with a bad password', suite: outer };
    expect(fullTestName({ name: 'is rejected', suite: inner })).toBe('login > with a bad password > is rejected');
  });

  test('a top-level test is its own name', () => {
    expect(fullTestName({ name: 'adds', suite: file })).toBe('adds');
  });
});

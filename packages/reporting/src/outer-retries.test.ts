import { describe, expect, test } from 'vitest';
import { readOuterRetryCount } from './outer-retries.js';

describe('readOuterRetryCount', () => {
  test.each([
    [undefined, undefined],
    ['', undefined],
    ['0', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['two', undefined],
    ['1', 1],
    [' 2 ', 2],
    ['10', 10],
  ])('%j → %j', (value, expected) => {
    expect(readOuterRetryCount({ BUILDKITE_TEST_ENGINE_RETRY_COUNT: value })).toBe(expected);
  });
});

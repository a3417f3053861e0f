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
    [' 2 ', undefined],
    ['1', 1n],
    ['10', 10n],
    ['+1', 1n],
    ['0x2', 2n],
    ['1_0', 10n],
    ['0b1', 1n],
    ['010', 8n],
    ['9223372036854775807', 9223372036854775807n],
    ['9223372036854775808', undefined],
  ])('%j → %s', (value, expected) => {
    expect(readOuterRetryCount({ BUILDKITE_TEST_ENGINE_RETRY_COUNT: value })).toBe(expected);
  });
});

import { describe, expect, test } from 'vitest';
import { parseGoInteger } from './go-integer.js';

/*
 * Go's answers for `strconv.ParseInt(s, 0, 64)`: the base-0 rows of Go's own `parseInt64BaseTests` and
 * `parseInt64Tests` (strconv/atoi_test.go), plus the values bktec users write. `undefined` is Go's error.
 */
const cases: Array<[string, bigint | undefined]> = [
  ['', undefined],
  ['0', 0n],
  ['-0', 0n],
  ['+0', 0n],
  ['1', 1n],
  ['-1', -1n],
  ['+1', 1n],
  ['12345', 12345n],
  ['-12345', -12345n],
  ['012345', 0o12345n],
  ['-012345', -0o12345n],
  ['0x12345', 0x12345n],
  ['-0X12345', -0x12345n],
  ['0xabcdef', 0xabcdefn],
  ['0XABCDEF', 0xabcdefn],
  ['0b1', 1n],
  ['0B101', 5n],
  ['0o17', 15n],
  ['0O17', 15n],
  ['017', 15n],
  ['08', undefined],
  ['0b2', undefined],
  ['0o8', undefined],
  ['0xg', undefined],
  ['0x', undefined],
  ['0b', undefined],
  ['0o', undefined],
  ['12345x', undefined],
  ['-12345x', undefined],
  ['1_0', 10n],
  ['1_000_000', 1_000_000n],
  ['0x_1F', 0x1fn],
  ['0b_1_0', 2n],
  ['0_7', 7n],
  ['_1', undefined],
  ['1_', undefined],
  ['1__0', undefined],
  ['0x_', undefined],
  ['-_1', undefined],
  ['+-1', undefined],
  ['--1', undefined],
  ['+', undefined],
  ['-', undefined],
  [' 2', undefined],
  ['2 ', undefined],
  ['1.5', undefined],
  ['1e3', undefined],
  ['two', undefined],
  ['９', undefined],
  ['9223372036854775807', 9223372036854775807n],
  ['9223372036854775808', undefined],
  ['-9223372036854775808', -9223372036854775808n],
  ['-9223372036854775809', undefined],
  ['0x7fffffffffffffff', 9223372036854775807n],
  ['0x8000000000000000', undefined],
];

describe('parseGoInteger reads as strconv.ParseInt(s, 0, 64)', () => {
  test.each(cases)('%j → %s', (text, expected) => {
    expect(parseGoInteger(text)).toBe(expected);
  });
});

/*
 * Buildkite Test Engine's client (bktec) reads its integer variables (`BUILDKITE_TEST_ENGINE_RETRY_COUNT`,
 * `BUILDKITE_RETRY_COUNT`) with urfave/cli v3's `IntFlag`, which hands the raw value to Go's
 * `strconv.ParseInt(s, 0, 64)`: no trimming, an optional sign, a base from the prefix (`0x`, `0o`, `0b`, or a
 * bare leading `0` for octal), and `_` allowed only between digits (or right after a prefix). A value we read
 * differently from bktec makes us disagree with it about the job's outcome — `0x2` is two retries to bktec —
 * so this is that function, rule for rule, and its unit test is Go's own table of cases.
 */

/** The largest `int64` and the magnitude of the smallest: `ParseInt` refuses anything outside them. */
const int64Limit = 2n ** 63n;

/**
 * The value of `text` as Go's `strconv.ParseInt(text, 0, 64)` reads it, or `undefined` where Go returns an
 * error (a syntax error, or a value outside `int64`). An empty string is an error too; urfave/cli never passes
 * one (an empty variable leaves the flag at its default), and callers treat `undefined` as "not set".
 */
export function parseGoInteger(text: string): bigint | undefined {
  let rest = text;
  let negative = false;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '') return undefined;
  const { base, digits } = splitBasePrefix(rest);
  let magnitude = 0n;
  let sawUnderscore = false;
  for (const character of digits) {
    if (character === '_') {
      sawUnderscore = true;
      continue;
    }
    const digit = digitValue(character);
    if (digit === undefined || digit >= base) return undefined;
    magnitude = magnitude * BigInt(base) + BigInt(digit);
  }
  if (sawUnderscore && !underscoresAreSeparators(rest)) return undefined;
  if (negative ? magnitude > int64Limit : magnitude >= int64Limit) return undefined;
  return negative ? -magnitude : magnitude;
}

/** Go's base-0 rule: a prefix needs at least one character after it (`0x` alone is octal `0` followed by `x`). */
function splitBasePrefix(unsigned: string): { base: number; digits: string } {
  if (unsigned[0] !== '0') return { base: 10, digits: unsigned };
  const marker = unsigned[1]?.toLowerCase();
  if (unsigned.length >= 3 && marker === 'b') return { base: 2, digits: unsigned.slice(2) };
  if (unsigned.length >= 3 && marker === 'o') return { base: 8, digits: unsigned.slice(2) };
  if (unsigned.length >= 3 && marker === 'x') return { base: 16, digits: unsigned.slice(2) };
  return { base: 8, digits: unsigned.slice(1) };
}

function digitValue(character: string): number | undefined {
  const code = character.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 122) return code - 97 + 10; // a-z: refused by the base check unless hexadecimal
  return undefined;
}

/**
 * Go's `underscoreOK`: each `_` follows a digit or the base prefix, and is followed by a digit. `unsigned` is the
 * value without its sign; a bare leading `0` counts as a digit, so `0_7` is octal 7.
 */
function underscoresAreSeparators(unsigned: string): boolean {
  let previous: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  let index = 0;
  const marker = unsigned[1]?.toLowerCase();
  const hexadecimal = unsigned[0] === '0' && marker === 'x';
  if (unsigned.length >= 2 && unsigned[0] === '0' && (marker === 'b' || marker === 'o' || marker === 'x')) {
    index = 2;
    previous = 'digit';
  }
  for (; index < unsigned.length; index++) {
    const character = unsigned[index] as string;
    const lower = character.toLowerCase();
    if ((character >= '0' && character <= '9') || (hexadecimal && lower >= 'a' && lower <= 'f')) {
      previous = 'digit';
      continue;
    }
    if (character === '_') {
      if (previous !== 'digit') return false;
      previous = 'underscore';
      continue;
    }
    if (previous === 'underscore') return false;
    previous = 'other';
  }
  return previous !== 'underscore';
}

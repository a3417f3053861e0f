import { afterEach, describe, expect, test, vi } from 'vitest';
import { resolveReporterOptions, resolveSettings } from './options.js';
import { captureStderr } from './testing.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('resolveReporterOptions', () => {
  test('defaults: the core decides the exit status and timeout, 10 s flush, enabled', () => {
    for (const options of [undefined, null, {}]) {
      expect(resolveReporterOptions(options)).toEqual({
        ok: true,
        settings: { exitStatus: undefined, flushTimeout: 10_000, enabled: true, timeout: undefined, ignoreOuterRetries: false },
      });
    }
  });

  test('keeps valid options', () => {
    expect(resolveReporterOptions({ exitStatus: 2, flushTimeout: 0, enabled: false, timeout: 5_000, ignoreOuterRetries: true })).toEqual({
      ok: true,
      settings: { exitStatus: 2, flushTimeout: 0, enabled: false, timeout: 5_000, ignoreOuterRetries: true },
    });
    expect(resolveReporterOptions({ exitStatus: 255, flushTimeout: 2_147_483_647 })).toMatchObject({
      ok: true,
      settings: { exitStatus: 255, flushTimeout: 2_147_483_647 },
    });
  });

  test.each([
    [{ exitStatus: 0 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 0.'],
    [{ exitStatus: 256 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 256.'],
    [{ exitStatus: 1.5 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 1.5.'],
    [{ exitStatus: '2' }, 'Expected `exitStatus` to be an integer from 1 to 255, got "2".'],
    [{ flushTimeout: -1 }, 'Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got -1.'],
    [{ flushTimeout: 1.5 }, 'Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got 1.5.'],
    [{ flushTimeout: 2 ** 31 }, 'Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got 2147483648.'],
    [{ flushTimeout: Number.POSITIVE_INFINITY }, 'Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got Infinity.'],
    [{ enabled: 'false' }, 'Expected `enabled` to be a boolean, got "false".'],
    [{ timeout: 0 }, 'Expected `timeout` to be a positive integer up to 2147483647 (ms), got 0.'],
    [{ timeout: null }, 'Expected `timeout` to be a positive integer up to 2147483647 (ms), got null.'],
    [{ timeout: 3_000_000_000 }, 'Expected `timeout` to be a positive integer up to 2147483647 (ms), got 3000000000.'],
    ['exitStatus=2', 'Expected `options` to be an object, got "exitStatus=2".'],
    [2, 'Expected `options` to be an object, got 2.'],
    [[2], 'Expected `options` to be an object, got an array.'],
    [{ ignoreOuterRetries: 'true' }, 'Expected `ignoreOuterRetries` to be a boolean, got "true".'],
    [{ exitstatus: 2 }, 'Unknown option `exitstatus`; expected exitStatus, flushTimeout, enabled, timeout or ignoreOuterRetries.'],
    [{ a: 1, b: 2 }, 'Unknown option `a`, `b`; expected exitStatus, flushTimeout, enabled, timeout or ignoreOuterRetries.'],
  ])('names the culprit: %j', (options, message) => {
    expect(resolveReporterOptions(options, {})).toEqual({ ok: false, message });
  });

  test('BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS is the default flushTimeout; the option wins', () => {
    const env = { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: '2500' };
    expect(resolveReporterOptions({}, env)).toMatchObject({ ok: true, settings: { flushTimeout: 2_500 } });
    expect(resolveReporterOptions({ flushTimeout: 7 }, env)).toMatchObject({ ok: true, settings: { flushTimeout: 7 } });
    expect(resolveReporterOptions({}, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: '0' })).toMatchObject({
      settings: { flushTimeout: 0 },
    });
    expect(resolveReporterOptions({}, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: ' ' })).toEqual({
      ok: true,
      settings: expect.objectContaining({ flushTimeout: 10_000 }),
    });
  });

  test.each(['soon', '-1', '1.5', '2147483648', '1e3'])(
    'a bad BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS (%j): the default, and a warning',
    (value) => {
      expect(resolveReporterOptions({}, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: value })).toEqual({
        ok: true,
        settings: expect.objectContaining({ flushTimeout: 10_000 }),
        warning: `promise-failure: BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS must be an integer from 0 to 2147483647 (ms), got ${JSON.stringify(value)}; using the default, 10000`,
      });
      // An option makes the variable irrelevant: no warning.
      expect(resolveReporterOptions({ flushTimeout: 5 }, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: value })).not.toHaveProperty(
        'warning',
      );
    },
  );
});

describe('resolveSettings', () => {
  test('valid and enabled: the settings, silently', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { exitStatus: 2 }, {})).toEqual({
      exitStatus: 2,
      flushTimeout: 10_000,
      enabled: true,
      timeout: undefined,
      ignoreOuterRetries: false,
    });
    expect(lines).toEqual([]);
  });

  test('enabled: false: off, silently', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { enabled: false })).toBeUndefined();
    expect(
      resolveSettings('@promise-failure/jest', { enabled: false }, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: 'x' }),
    ).toBeUndefined();
    expect(lines).toEqual([]);
  });

  test('a bad BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: one line, and the reporter stays on', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', {}, { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: 'x' })).toMatchObject({
      flushTimeout: 10_000,
    });
    expect(lines).toEqual([
      'promise-failure: BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS must be an integer from 0 to 2147483647 (ms), got "x"; using the default, 10000\n',
    ]);
  });

  test('an invalid option: off, with one line naming the package and the option', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { exitStatus: 0 })).toBeUndefined();
    expect(lines).toEqual([
      'promise-failure: @promise-failure/jest is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.\n',
    ]);
  });
});

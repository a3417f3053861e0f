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
        settings: { exitStatus: undefined, flushTimeout: 10_000, enabled: true, timeout: undefined },
      });
    }
  });

  test('keeps valid options', () => {
    expect(resolveReporterOptions({ exitStatus: 2, flushTimeout: 0, enabled: false, timeout: 5_000 })).toEqual({
      ok: true,
      settings: { exitStatus: 2, flushTimeout: 0, enabled: false, timeout: 5_000 },
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
    [{ timeout: 0 }, 'Expected `timeout` to be a positive integer (ms), got 0.'],
    [{ timeout: null }, 'Expected `timeout` to be a positive integer (ms), got null.'],
    ['exitStatus=2', 'Expected `options` to be an object, got "exitStatus=2".'],
    [2, 'Expected `options` to be an object, got 2.'],
    [[2], 'Expected `options` to be an object, got an array.'],
    [{ exitstatus: 2 }, 'Unknown option `exitstatus`; expected exitStatus, flushTimeout, enabled or timeout.'],
    [{ a: 1, b: 2 }, 'Unknown option `a`, `b`; expected exitStatus, flushTimeout, enabled or timeout.'],
  ])('names the culprit: %j', (options, message) => {
    expect(resolveReporterOptions(options)).toEqual({ ok: false, message });
  });
});

describe('resolveSettings', () => {
  test('valid and enabled: the settings, silently', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { exitStatus: 2 })).toEqual({
      exitStatus: 2,
      flushTimeout: 10_000,
      enabled: true,
      timeout: undefined,
    });
    expect(lines).toEqual([]);
  });

  test('enabled: false: off, silently', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { enabled: false })).toBeUndefined();
    expect(lines).toEqual([]);
  });

  test('an invalid option: off, with one line naming the package and the option', () => {
    const lines = captureStderr();
    expect(resolveSettings('@promise-failure/jest', { exitStatus: 0 })).toBeUndefined();
    expect(lines).toEqual([
      'promise-failure: @promise-failure/jest is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.\n',
    ]);
  });
});

import { describe, expect, test } from 'vitest';
import { resolveReporterOptions } from './options.js';

describe('resolveReporterOptions', () => {
  test('defaults: the env decides the exit status, 10 s flush, enabled', () => {
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
    expect(resolveReporterOptions({ exitStatus: 255 })).toMatchObject({ ok: true, settings: { exitStatus: 255 } });
  });

  test.each([
    [{ exitStatus: 0 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 0.'],
    [{ exitStatus: 256 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 256.'],
    [{ exitStatus: 1.5 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 1.5.'],
    [{ exitStatus: '2' }, 'Expected `exitStatus` to be an integer from 1 to 255, got "2".'],
    [{ flushTimeout: -1 }, 'Expected `flushTimeout` to be a non-negative integer (ms), got -1.'],
    [{ flushTimeout: Number.POSITIVE_INFINITY }, 'Expected `flushTimeout` to be a non-negative integer (ms), got Infinity.'],
    [{ enabled: 'false' }, 'Expected `enabled` to be a boolean, got "false".'],
    [{ timeout: 0 }, 'Expected `timeout` to be a positive integer (ms), got 0.'],
    [{ timeout: null }, 'Expected `timeout` to be a positive integer (ms), got null.'],
    ['exitStatus=2', 'Expected `options` to be an object, got "exitStatus=2".'],
    [[2], 'Expected `options` to be an object, got an array.'],
    [{ exitstatus: 2 }, 'Unknown option `exitstatus`; expected exitStatus, flushTimeout, enabled or timeout.'],
  ])('names the culprit: %j', (options, message) => {
    expect(resolveReporterOptions(options)).toEqual({ ok: false, message });
  });
});

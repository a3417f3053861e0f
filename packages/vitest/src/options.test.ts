import { describe, expect, test } from 'vitest';
import { resolveReporterOptions } from './options.js';

describe('resolveReporterOptions', () => {
  test('applies the defaults', () => {
    expect(resolveReporterOptions(undefined)).toEqual({ exitStatus: undefined, flushTimeout: 10_000, enabled: true, timeout: undefined });
    expect(resolveReporterOptions({})).toEqual(resolveReporterOptions(undefined));
  });

  test('keeps valid options', () => {
    expect(resolveReporterOptions({ exitStatus: 2, flushTimeout: 0, enabled: false, timeout: 5000 })).toEqual({
      exitStatus: 2,
      flushTimeout: 0,
      enabled: false,
      timeout: 5000,
    });
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
    [{ exitstatus: 2 }, 'Unknown option `exitstatus`; expected one of `exitStatus`, `flushTimeout`, `enabled`, `timeout`.'],
    [[2], 'Expected options to be an object, got an array.'],
    [2, 'Expected options to be an object, got 2.'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveReporterOptions(options)).toThrow(message);
  });
});

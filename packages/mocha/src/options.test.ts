import { describe, expect, it } from 'vitest';
import { InvalidOptionError, parseOptionValue, resolveOptions } from './options.js';

describe('parseOptionValue', () => {
  it.each([
    ['2', 2],
    ['1000', 1000],
    ['true', true],
    ['false', false],
    ['spec', 'spec'],
    ['', ''],
    [3, 3],
    [undefined, undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseOptionValue(input)).toBe(expected);
  });
});

describe('resolveOptions', () => {
  it('leaves exitStatus and timeout to the core by default', () => {
    expect(resolveOptions({})).toEqual({ exitStatus: undefined, flushTimeout: 10_000, enabled: true, timeout: undefined });
  });

  it('parses --reporter-option strings', () => {
    expect(resolveOptions({ exitStatus: '2', flushTimeout: '1000', enabled: 'false', timeout: '5000' })).toEqual({
      exitStatus: 2,
      flushTimeout: 1000,
      enabled: false,
      timeout: 5000,
    });
  });

  it.each([
    [{ exitStatus: 0 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 0.'],
    [{ exitStatus: '256' }, 'Expected `exitStatus` to be an integer from 1 to 255, got 256.'],
    [{ exitStatus: '1.5' }, 'Expected `exitStatus` to be an integer from 1 to 255, got 1.5.'],
    [{ exitStatus: 'two' }, 'Expected `exitStatus` to be an integer from 1 to 255, got "two".'],
    [{ flushTimeout: -1 }, 'Expected `flushTimeout` to be a number of milliseconds (0 or more), got -1.'],
    [{ enabled: 'yes' }, 'Expected `enabled` to be true or false, got "yes".'],
    [{ timeout: 0 }, 'Expected `timeout` to be a positive integer of milliseconds, got 0.'],
  ])('%j is refused, naming the option', (input, message) => {
    expect(() => resolveOptions(input)).toThrow(message);
    try {
      resolveOptions(input);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).code).toBe('ERR_PROMISE_FAILURE_INVALID_OPTION');
    }
  });
});

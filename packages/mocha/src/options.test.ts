import { resolveReporterOptions } from '@promise-failure/reporting';
import { describe, expect, it } from 'vitest';
import { findMisspeltOptions, parseOptions, parseOptionValue, splitReporterOption } from './options.js';

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

describe('parseOptions, then the shared validation', () => {
  const resolveOptions = (options: unknown) => resolveReporterOptions(parseOptions(options));

  it('leaves exitStatus and timeout to the core by default', () => {
    expect(resolveOptions({})).toEqual({
      ok: true,
      settings: { exitStatus: undefined, flushTimeout: 10_000, enabled: true, timeout: undefined, ignoreOuterRetries: false },
    });
  });

  it('parses --reporter-option strings', () => {
    expect(resolveOptions({ exitStatus: '2', flushTimeout: '1000', enabled: 'false', timeout: '5000' })).toEqual({
      ok: true,
      settings: { exitStatus: 2, flushTimeout: 1000, enabled: false, timeout: 5000, ignoreOuterRetries: false },
    });
  });

  it.each([
    [{ exitStatus: 0 }, 'Expected `exitStatus` to be an integer from 1 to 255, got 0.'],
    [{ exitStatus: '256' }, 'Expected `exitStatus` to be an integer from 1 to 255, got 256.'],
    [{ exitStatus: '1.5' }, 'Expected `exitStatus` to be an integer from 1 to 255, got 1.5.'],
    [{ exitStatus: 'two' }, 'Expected `exitStatus` to be an integer from 1 to 255, got "two".'],
    [{ flushTimeout: 'soon' }, 'Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got "soon".'],
    [{ enabled: 'yes' }, 'Expected `enabled` to be a boolean, got "yes".'],
    [{ timeout: 0 }, 'Expected `timeout` to be a positive integer up to 2147483647 (ms), got 0.'],
    [{ exitstatus: 2 }, 'Unknown option `exitstatus`; expected exitStatus, flushTimeout, enabled, timeout or ignoreOuterRetries.'],
  ])('%j is refused, naming the option', (input, message) => {
    expect(resolveOptions(input)).toEqual({ ok: false, message });
  });
});

describe('splitReporterOption', () => {
  it('keeps ours apart from the inner reporter’s', () => {
    expect(splitReporterOption({ reporter: 'dot', exitStatus: '2', output: 'results.xml' })).toEqual({
      reporter: 'dot',
      ours: { exitStatus: '2' },
      theirs: { output: 'results.xml' },
    });
    expect(splitReporterOption(undefined)).toEqual({ reporter: undefined, ours: {}, theirs: {} });
  });
});

describe('findMisspeltOptions', () => {
  it('finds keys meant for us: case, dashes, underscores, one letter off', () => {
    expect(findMisspeltOptions(['exitstatus', 'flush-timeout', 'exit_status', 'exitStatuss', 'ignoreouterretries', 'timout'])).toEqual([
      { given: 'exitstatus', meant: 'exitStatus' },
      { given: 'flush-timeout', meant: 'flushTimeout' },
      { given: 'exit_status', meant: 'exitStatus' },
      { given: 'exitStatuss', meant: 'exitStatus' },
      { given: 'ignoreouterretries', meant: 'ignoreOuterRetries' },
      { given: 'timout', meant: 'timeout' },
    ]);
  });

  it('leaves the inner reporter’s own options alone', () => {
    expect(findMisspeltOptions(['output', 'mochaFile', 'suiteTitle', 'reporterEnabled', 'exitStatus'])).toEqual([]);
  });
});

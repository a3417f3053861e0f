import { describe, expect, it } from 'vitest';
import { createRedactor, globToRegExp, maximumReasonLength, prepareReason } from './redact.js';

describe('createRedactor', () => {
  it('redacts the values of variables matching the agent default patterns', () => {
    const redact = createRedactor({ MY_API_KEY: 'abcdef123', DB_PASSWORD: 'hunter22', PLAIN: 'visible-value' });
    expect(redact('key abcdef123 pass hunter22 plain visible-value')).toBe('key [REDACTED] pass [REDACTED] plain visible-value');
  });

  it('leaves values shorter than 6 characters alone', () => {
    expect(createRedactor({ SHORT_TOKEN: 'none' })('none of it')).toBe('none of it');
  });

  it('replaces the default patterns with BUILDKITE_REDACTED_VARS, case-sensitively', () => {
    const redact = createRedactor({
      BUILDKITE_REDACTED_VARS: 'CUSTOM_*',
      CUSTOM_THING: 'sekrit-1',
      OTHER_TOKEN: 'still-here',
      custom_lower: 'lower-case',
    });
    expect(redact('sekrit-1 still-here lower-case')).toBe('[REDACTED] still-here lower-case');
  });

  it('always redacts the access token and the Job API token, whatever the patterns say', () => {
    const redact = createRedactor({
      BUILDKITE_REDACTED_VARS: 'NOTHING_MATCHES',
      BUILDKITE_AGENT_ACCESS_TOKEN: 'access-token-value',
      BUILDKITE_AGENT_JOB_API_TOKEN: 'job-api-token-value',
    });
    expect(redact('a access-token-value b job-api-token-value')).toBe('a [REDACTED] b [REDACTED]');
  });

  it('redacts the JSON-escaped form of a secret too', () => {
    const redact = createRedactor({ WEIRD_SECRET: 'quo"te\\slash' });
    expect(redact(JSON.stringify({ reason: 'quo"te\\slash' }))).toBe('{"reason":"[REDACTED]"}');
    expect(redact('raw quo"te\\slash')).toBe('raw [REDACTED]');
  });

  it('replaces a secret that contains another one whole', () => {
    const redact = createRedactor({ A_TOKEN: 'secret', B_TOKEN: 'secret-longer' });
    expect(redact('secret-longer')).toBe('[REDACTED]');
  });
});

describe('globToRegExp', () => {
  it.each([
    ['*_TOKEN', 'MY_TOKEN', true],
    ['*_TOKEN', 'MY_TOKENS', false],
    ['?_KEY', 'A_KEY', true],
    ['?_KEY', 'AB_KEY', false],
    ['[AB]_KEY', 'B_KEY', true],
    ['[!AB]_KEY', 'C_KEY', true],
    ['[!AB]_KEY', 'A_KEY', false],
    ['A.B', 'AxB', false],
    ['*_token', 'MY_TOKEN', false],
  ])('%s matches %s: %s', (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});

describe('prepareReason', () => {
  it('redacts first, then cuts to 1,000 code points', () => {
    const redact = createRedactor({ X_TOKEN: 'abcdefgh' });
    const reason = prepareReason(`${'abcdefgh'.repeat(200)}`, redact) as string;
    expect(reason).toBe('[REDACTED]'.repeat(100));
  });

  it('never splits a surrogate pair', () => {
    const reason = prepareReason('😀'.repeat(1_500), (text) => text) as string;
    expect(Array.from(reason)).toHaveLength(maximumReasonLength);
    expect(reason).toBe('😀'.repeat(1_000));
  });

  it('keeps a short reason as it is, and no reason as none', () => {
    expect(prepareReason('short', (text) => text)).toBe('short');
    expect(prepareReason(undefined, (text) => text)).toBeUndefined();
  });
});

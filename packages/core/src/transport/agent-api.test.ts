import { describe, expect, it } from 'vitest';
import { escapeJobId, promiseFailureUrl } from './agent-api.js';

describe('escapeJobId', () => {
  it('path-escapes the id and escapes dots as %2E, as the agent does', () => {
    expect(escapeJobId('0190-abc')).toBe('0190-abc');
    expect(escapeJobId('a.b')).toBe('a%2Eb');
    expect(escapeJobId('../x')).toBe('%2E%2E%2Fx');
    expect(escapeJobId('a b/c')).toBe('a%20b%2Fc');
  });
});

describe('promiseFailureUrl', () => {
  it('appends the route to the endpoint, with or without a trailing slash', () => {
    expect(promiseFailureUrl('https://agent.buildkite.com/v3', 'j.1').href).toBe(
      'https://agent.buildkite.com/v3/jobs/j%2E1/promise_failure',
    );
    expect(promiseFailureUrl('http://127.0.0.1:8080/v3/', 'j').href).toBe('http://127.0.0.1:8080/v3/jobs/j/promise_failure');
  });

  it('names the variable when the endpoint is not an http(s) URL', () => {
    expect(() => promiseFailureUrl('not a url', 'j')).toThrow(/BUILDKITE_AGENT_ENDPOINT is not a valid URL: "not a url"/);
    expect(() => promiseFailureUrl('ftp://x/v3', 'j')).toThrow(/BUILDKITE_AGENT_ENDPOINT must be an http\(s\) URL/);
  });
});

describe('promiseFailureUrl with dot-segment job ids (issue 10, item 9)', () => {
  it('keeps `.` and `..` as escaped ids, never as path segments', () => {
    expect(promiseFailureUrl('https://agent.buildkite.com/v3', '.').path).toBe('/v3/jobs/%2E/promise_failure');
    expect(promiseFailureUrl('https://agent.buildkite.com/v3', '..').path).toBe('/v3/jobs/%2E%2E/promise_failure');
    expect(promiseFailureUrl('https://user:pass@agent.buildkite.com/v3?x=1', 'j').href).toBe(
      'https://agent.buildkite.com/v3/jobs/j/promise_failure',
    );
  });
});

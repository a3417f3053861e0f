import { describe, expect, it } from 'vitest';
import { isDebugOn, isTurnedOff, readExitStatus, readTimeout, readTransports } from './environment.js';
import { PromiseFailureError } from './errors.js';

describe('isTurnedOff', () => {
  it.each(['false', '0', 'off', 'OFF', ' False '])('%j turns it off', (value) => expect(isTurnedOff(value)).toBe(true));
  it.each([undefined, 'true', '1', 'on', ''])('%j leaves it on', (value) => expect(isTurnedOff(value)).toBe(false));
});

describe('isDebugOn', () => {
  it('is on with either variable', () => {
    expect(isDebugOn({ BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' })).toBe(true);
    expect(isDebugOn({ BUILDKITE_AGENT_DEBUG: 'true' })).toBe(true);
    expect(isDebugOn({ BUILDKITE_AGENT_DEBUG: 'false' })).toBe(false);
    expect(isDebugOn({})).toBe(false);
  });
});

describe('readExitStatus', () => {
  it('defaults to 1 and reads 1–255', () => {
    expect(readExitStatus(undefined)).toBe(1);
    expect(readExitStatus('7')).toBe(7);
    expect(readExitStatus('255')).toBe(255);
  });
  it.each(['0', '256', '-1', '1.5', 'two', '0x10'])('rejects %j with an error naming the variable', (value) => {
    const result = readExitStatus(value);
    expect(result).toBeInstanceOf(PromiseFailureError);
    expect((result as PromiseFailureError).message).toContain('BUILDKITE_PROMISE_FAILURE_EXIT_STATUS');
    expect((result as PromiseFailureError).message).toContain(JSON.stringify(value));
  });
});

describe('readTimeout', () => {
  it('defaults to 60,000 and reads positive integers', () => {
    expect(readTimeout(undefined)).toBe(60_000);
    expect(readTimeout('1500')).toBe(1_500);
  });
  it.each(['0', '-5', 'soon', '1e3'])('rejects %j with an error naming the variable', (value) => {
    const result = readTimeout(value);
    expect((result as PromiseFailureError).message).toContain('BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS');
  });
});

describe('readTransports', () => {
  it('needs both the socket and the token for the Job API, and the access token for the Agent API', () => {
    expect(readTransports({ BUILDKITE_AGENT_JOB_API_SOCKET: '/s' })).toEqual({});
    expect(readTransports({ BUILDKITE_AGENT_JOB_API_SOCKET: '/s', BUILDKITE_AGENT_JOB_API_TOKEN: 't' })).toEqual({
      jobApi: { socket: '/s', token: 't' },
    });
    expect(readTransports({ BUILDKITE_AGENT_ACCESS_TOKEN: 'a' })).toEqual({
      agentApi: { endpoint: 'https://agent.buildkite.com/v3', token: 'a' },
    });
    expect(readTransports({ BUILDKITE_AGENT_ACCESS_TOKEN: 'a', BUILDKITE_AGENT_ENDPOINT: 'http://x/v3' })).toEqual({
      agentApi: { endpoint: 'http://x/v3', token: 'a' },
    });
  });

  it.each(['not a url', 'ftp://x/v3', 'agent.buildkite.com/v3'])('refuses BUILDKITE_AGENT_ENDPOINT=%s, naming it', (endpoint) => {
    const result = readTransports({ BUILDKITE_AGENT_ACCESS_TOKEN: 'a', BUILDKITE_AGENT_ENDPOINT: endpoint });
    expect(result).toMatchObject({ code: 'PROMISE_FAILURE_INVALID_ENVIRONMENT' });
    expect((result as PromiseFailureError).message).toContain('BUILDKITE_AGENT_ENDPOINT');
  });
});

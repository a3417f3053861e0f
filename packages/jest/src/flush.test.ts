import { describe, expect, test } from 'vitest';
import { type DeclarationCall, type DeclarationResult, describeResult, startDeclaration, waitForDeclaration } from './flush.js';

const accepted: DeclarationResult = { outcome: 'declared', accepted: true, exitStatus: 1, transport: 'job-api' };

describe('describeResult', () => {
  test('accepted', () => {
    expect(describeResult(accepted)).toBe('promise-failure: promised exit status 1 to Buildkite (declared via job-api)');
    expect(describeResult({ outcome: 'debounced', accepted: true, exitStatus: 2, transport: 'agent-api' })).toBe(
      'promise-failure: promised exit status 2 to Buildkite (debounced via agent-api)',
    );
    expect(describeResult({ outcome: 'debounced', accepted: true, exitStatus: 1 })).toBe(
      'promise-failure: promised exit status 1 to Buildkite (debounced)',
    );
  });

  test('not accepted: says why', () => {
    expect(
      describeResult({
        outcome: 'declared',
        accepted: false,
        exitStatus: 1,
        transport: 'agent-api',
        upstreamStatus: 404,
        error: 'promise-failure is not enabled for this organization',
      }),
    ).toBe(
      'promise-failure: could not promise exit status 1 to Buildkite (declared via agent-api): promise-failure is not enabled for this organization',
    );
  });

  test('skipped: silent, except for a bad environment value', () => {
    expect(describeResult({ outcome: 'skipped', accepted: false, exitStatus: 1 })).toBeUndefined();
    expect(
      describeResult({ outcome: 'skipped', accepted: false, exitStatus: 1, error: 'not in a Buildkite job (no BUILDKITE_JOB_ID)' }),
    ).toBeUndefined();
    expect(
      describeResult({
        outcome: 'skipped',
        accepted: false,
        exitStatus: 1,
        error: 'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS must be an integer from 1 to 255, got "abc"',
      }),
    ).toMatch(/^promise-failure: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS/);
  });
});

describe('startDeclaration and waitForDeclaration', () => {
  test('passes only the options that are set, and a signal', async () => {
    const calls: DeclarationCall[] = [];
    const declaration = startDeclaration({ exitStatus: undefined, reason: 'jest: x failed', timeout: undefined }, async (call) => {
      calls.push(call);
      return accepted;
    });
    expect(await waitForDeclaration(declaration, 1_000)).toBe(
      'promise-failure: promised exit status 1 to Buildkite (declared via job-api)',
    );
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0] ?? {}).sort()).toEqual(['reason', 'signal']);
  });

  test('a declaration that does not settle in time is abandoned with a warning', async () => {
    let signal: AbortSignal | undefined;
    const declaration = startDeclaration({ exitStatus: 2, reason: 'r', timeout: 60_000 }, (call) => {
      signal = call.signal;
      return new Promise(() => {});
    });
    const started = performance.now();
    expect(await waitForDeclaration(declaration, 50)).toBe(
      'promise-failure: could not promise the failure to Buildkite: timed out after 50 ms (flushTimeout); the run ends without it',
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(signal?.aborted).toBe(true);
  });

  test('a call that throws (even synchronously) becomes a warning, never a rejection', async () => {
    const declaration = startDeclaration({ exitStatus: 1, reason: 'r', timeout: undefined }, () => {
      throw new RangeError('Expected `timeout` to be a positive integer (ms), got 0.');
    });
    expect(await waitForDeclaration(declaration, 1_000)).toBe(
      'promise-failure: could not promise the failure to Buildkite: Expected `timeout` to be a positive integer (ms), got 0.',
    );
  });
});

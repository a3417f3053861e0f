import type { PromiseFailureResult } from '@promise-failure/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { type DeclarationCall, describeDeclaration, startDeclaration, waitForDeclaration } from './declaration.js';

const accepted: PromiseFailureResult = { outcome: 'declared', accepted: true, exitStatus: 1, transport: 'job-api' };
const asked = { exitStatus: 1, flushTimeout: 1_000 };
const unset = { exitStatus: undefined, flushTimeout: 1_000 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('describeDeclaration', () => {
  test('accepted: how, and through which API', () => {
    expect(describeDeclaration({ result: accepted }, asked)).toBe(
      'promise-failure: promised exit status 1 to Buildkite (declared via job-api)',
    );
    expect(describeDeclaration({ result: { outcome: 'debounced', accepted: true, exitStatus: 2, transport: 'agent-api' } }, unset)).toBe(
      'promise-failure: promised exit status 2 to Buildkite (debounced via agent-api)',
    );
    expect(describeDeclaration({ result: { outcome: 'debounced', accepted: true, exitStatus: 3 } }, unset)).toBe(
      'promise-failure: promised exit status 3 to Buildkite (debounced)',
    );
  });

  test("the core's warning (processes could not share) is appended to the one line", () => {
    const warning = 'BUILDKITE_PROMISE_FAILURE_LOCK_DIR "locks" is relative: this process declared on its own';
    expect(describeDeclaration({ result: { ...accepted, warning } }, asked)).toBe(
      `promise-failure: promised exit status 1 to Buildkite (declared via job-api); ${warning}`,
    );
    expect(describeDeclaration({ result: { ...accepted, accepted: false, error: 'Buildkite answered 409', warning } }, asked)).toBe(
      `promise-failure: could not promise exit status 1 to Buildkite: Buildkite answered 409; ${warning}`,
    );
  });

  test('not accepted: the core error, else what Buildkite answered', () => {
    const refused: PromiseFailureResult = {
      outcome: 'declared',
      accepted: false,
      exitStatus: 1,
      transport: 'agent-api',
      upstreamStatus: 404,
      error: 'promise-failure is not enabled for this organization',
    };
    expect(describeDeclaration({ result: refused }, unset)).toBe(
      'promise-failure: could not promise exit status 1 to Buildkite: promise-failure is not enabled for this organization',
    );
    expect(describeDeclaration({ result: { ...refused, error: undefined } }, unset)).toBe(
      'promise-failure: could not promise exit status 1 to Buildkite: Buildkite answered 404',
    );
    expect(describeDeclaration({ result: { outcome: 'declared', accepted: false, exitStatus: 1 } }, unset)).toBe(
      'promise-failure: could not promise exit status 1 to Buildkite: not accepted',
    );
  });

  test('timed out: names flushTimeout, and the exit status when one was asked for', () => {
    expect(describeDeclaration('timed out', { exitStatus: 2, flushTimeout: 1_000 })).toBe(
      "promise-failure: could not promise exit status 2 to Buildkite: timed out after 1000 ms (flushTimeout); the run's exit code is unchanged",
    );
    expect(describeDeclaration('timed out', { exitStatus: undefined, flushTimeout: 5 })).toBe(
      "promise-failure: could not promise the failure to Buildkite: timed out after 5 ms (flushTimeout); the run's exit code is unchanged",
    );
  });

  test('the core could not be called: the first line of the error', () => {
    expect(describeDeclaration({ error: new Error('Cannot find module\n  stack') }, asked)).toBe(
      'promise-failure: could not promise exit status 1 to Buildkite: Cannot find module',
    );
    expect(describeDeclaration({ error: 'thrown string' }, unset)).toBe(
      'promise-failure: could not promise the failure to Buildkite: thrown string',
    );
  });

  test('skipped: silent, except for a bad environment value (known by its code, not its wording)', () => {
    expect(describeDeclaration({ result: { outcome: 'skipped', accepted: false, exitStatus: 1 } }, asked)).toBeUndefined();
    expect(
      describeDeclaration(
        { result: { outcome: 'skipped', accepted: false, exitStatus: 1, error: 'not in a Buildkite job (no BUILDKITE_JOB_ID)' } },
        asked,
      ),
    ).toBeUndefined();
    const code = 'PROMISE_FAILURE_INVALID_ENVIRONMENT';
    for (const error of [
      'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS must be an integer from 1 to 255, got "abc"',
      'BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS must be a positive integer, got "x"',
      'BUILDKITE_AGENT_ENDPOINT must be an http(s) URL, got "x"',
    ]) {
      const skipped: PromiseFailureResult = { outcome: 'skipped', accepted: false, exitStatus: 1, error, code };
      expect(describeDeclaration({ result: skipped }, asked)).toBe(`promise-failure: did not promise the failure to Buildkite: ${error}`);
      // Without the code, the same words are not enough.
      expect(describeDeclaration({ result: { ...skipped, code: undefined } }, asked)).toBeUndefined();
    }
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

    await startDeclaration({ exitStatus: 2, reason: 'r', timeout: 5_000 }, async (call) => {
      calls.push(call);
      return accepted;
    }).settled;
    expect(calls[1]).toMatchObject({ exitStatus: 2, reason: 'r', timeout: 5_000 });
  });

  test('starts at once, without being awaited', () => {
    let called = false;
    startDeclaration({ exitStatus: 1, reason: 'r', timeout: undefined }, async () => {
      called = true;
      return accepted;
    });
    return Promise.resolve().then(() => expect(called).toBe(true));
  });

  test('a declaration that does not settle in time is abandoned with a warning', async () => {
    let signal: AbortSignal | undefined;
    const declaration = startDeclaration({ exitStatus: 2, reason: 'r', timeout: 60_000 }, (call) => {
      signal = call.signal;
      return new Promise(() => {});
    });
    const started = performance.now();
    expect(await waitForDeclaration(declaration, 50)).toBe(
      "promise-failure: could not promise exit status 2 to Buildkite: timed out after 50 ms (flushTimeout); the run's exit code is unchanged",
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(signal?.aborted).toBe(true);
  });

  test('a call that throws (even synchronously) becomes a warning, never a rejection', async () => {
    const declaration = startDeclaration({ exitStatus: undefined, reason: 'r', timeout: undefined }, () => {
      throw new RangeError('Expected `timeout` to be a positive integer (ms), got 0.');
    });
    expect(await waitForDeclaration(declaration, 1_000)).toBe(
      'promise-failure: could not promise the failure to Buildkite: Expected `timeout` to be a positive integer (ms), got 0.',
    );
  });
});

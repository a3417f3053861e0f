import { describe, expect, test } from 'vitest';
import { describeDeclaration, waitForDeclaration } from './flush.js';

const options = { exitStatus: 1, flushTimeout: 1000 };

describe('describeDeclaration', () => {
  test('says how the exit status was promised', () => {
    const result = { outcome: 'declared', accepted: true, exitStatus: 1, transport: 'job-api' } as const;
    expect(describeDeclaration({ result }, options)).toBe('promise-failure: promised exit status 1 to Buildkite (declared via job-api)');
    expect(describeDeclaration({ result: { ...result, outcome: 'debounced', transport: 'agent-api', exitStatus: 3 } }, options)).toBe(
      'promise-failure: promised exit status 3 to Buildkite (debounced via agent-api)',
    );
  });

  test('warns with the core error when Buildkite did not accept', () => {
    const result = {
      outcome: 'declared',
      accepted: false,
      exitStatus: 1,
      transport: 'agent-api',
      upstreamStatus: 404,
      error: 'promise-failure is not enabled for this organization',
    } as const;
    expect(describeDeclaration({ result }, options)).toBe(
      'promise-failure: warning: exit status 1 was not promised to Buildkite: promise-failure is not enabled for this organization',
    );
    expect(describeDeclaration({ result: { ...result, error: undefined } }, options)).toBe(
      'promise-failure: warning: exit status 1 was not promised to Buildkite: Buildkite answered 404',
    );
  });

  test('says nothing when skipped, unless an environment value is bad', () => {
    expect(describeDeclaration({ result: { outcome: 'skipped', accepted: false, exitStatus: 1, error: 'not in a Buildkite job' } }, options)).toBeUndefined();
    const error = 'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS must be an integer from 1 to 255, got "abc"';
    expect(describeDeclaration({ result: { outcome: 'skipped', accepted: false, exitStatus: 1, error } }, options)).toBe(`promise-failure: warning: ${error}`);
  });

  test('warns when Buildkite did not answer within flushTimeout', () => {
    expect(describeDeclaration(undefined, options)).toBe(
      'promise-failure: warning: timed out after 1000 ms (flushTimeout) waiting for Buildkite to accept exit status 1',
    );
    expect(describeDeclaration(undefined, { exitStatus: undefined, flushTimeout: 5 })).toContain('timed out after 5 ms');
  });

  test('warns when the core could not be called', () => {
    expect(describeDeclaration({ error: new Error('Cannot find module') }, options)).toBe(
      'promise-failure: warning: could not promise exit status 1 to Buildkite: Cannot find module',
    );
  });
});

describe('waitForDeclaration', () => {
  test('resolves with the declaration when it settles in time', async () => {
    const settled = { error: 'x' };
    await expect(waitForDeclaration(Promise.resolve(settled), 1000)).resolves.toBe(settled);
  });

  test('gives up after flushTimeout', async () => {
    const started = performance.now();
    await expect(waitForDeclaration(new Promise(() => {}), 50)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});

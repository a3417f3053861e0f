import { describe, expect, it } from 'vitest';
import { describeOutcome } from './declaration.js';

const options = { exitStatus: undefined, flushTimeout: 1000 };

describe('describeOutcome', () => {
  it('accepted: the one line the reporters share', () => {
    expect(describeOutcome({ outcome: 'declared', accepted: true, exitStatus: 1, transport: 'job-api' }, options)).toBe(
      'promise-failure: promised exit status 1 to Buildkite (declared via job-api)',
    );
    expect(describeOutcome({ outcome: 'debounced', accepted: true, exitStatus: 2 }, options)).toBe(
      'promise-failure: promised exit status 2 to Buildkite (debounced)',
    );
  });

  it('not accepted: a warning with the core error', () => {
    expect(
      describeOutcome(
        {
          outcome: 'declared',
          accepted: false,
          exitStatus: 1,
          transport: 'agent-api',
          upstreamStatus: 404,
          error: 'not enabled for this organization',
        },
        options,
      ),
    ).toBe('promise-failure: could not promise exit status 1 to Buildkite: not enabled for this organization');
  });

  it('timed out after flushTimeout', () => {
    expect(describeOutcome('timed-out', { exitStatus: 2, flushTimeout: 1000 })).toMatch(
      /^promise-failure: could not promise exit status 2 to Buildkite: timed out after 1000 ms/,
    );
  });

  it('skipped: silent, except for a bad environment value', () => {
    expect(
      describeOutcome({ outcome: 'skipped', accepted: false, exitStatus: 1, error: 'not in a Buildkite job' }, options),
    ).toBeUndefined();
    expect(describeOutcome({ outcome: 'skipped', accepted: false, exitStatus: 1 }, options)).toBeUndefined();
    expect(
      describeOutcome(
        {
          outcome: 'skipped',
          accepted: false,
          exitStatus: 1,
          error: 'BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS must be a positive integer, got "x"',
        },
        options,
      ),
    ).toMatch(/^promise-failure: .*BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS/);
  });

  it('an error (the core could not be loaded): a warning', () => {
    expect(describeOutcome(new Error('Cannot find module\nstack'), options)).toBe(
      'promise-failure: could not promise the failure to Buildkite: Cannot find module',
    );
  });
});

import { ErrorCode, promiseFailure } from '@promise-failure/core';
import { describe, expect, test } from 'vitest';
// The core's own constants, from its source: they are not its public API, and the kit's copies must equal
// the very values the core runs with (core-rules.ts says why the kit has copies at all).
import { maximumTimeout as coresMaximumTimeout, offWords as coresOffWords } from '../../core/src/environment.js';
import { invalidEnvironmentCode, maximumTimeout, offWords, refusedCode } from './core-rules.js';
import { resolveReporterOptions } from './options.js';
import { isPromisingJob } from './reporter-run.js';

describe("the kit's copies of the core's constants", () => {
  test('equal the core’s', () => {
    expect(offWords).toEqual(coresOffWords);
    expect(maximumTimeout).toBe(coresMaximumTimeout);
    expect(invalidEnvironmentCode).toBe(ErrorCode.InvalidEnvironment);
    expect(refusedCode).toBe(ErrorCode.Refused);
  });
});

/** The core's verdict on one option: accepted (outside a job: skipped, nothing sent), or its message. */
async function coreVerdict(option: string, value: unknown): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await promiseFailure({ [option]: value, env: {} });
    return { ok: true };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function kitVerdict(option: string, value: unknown): { ok: true } | { ok: false; message: string } {
  const resolved = resolveReporterOptions({ [option]: value }, {});
  return resolved.ok ? { ok: true } : { ok: false, message: resolved.message };
}

// The same values fed to the core's validation (through `promiseFailure`, as a reporter's call reaches it at
// a failure) and to the kit's (at the reporter's start): both accept, or both refuse in the same words.
describe('the kit checks the options the core takes by the core’s rule (issue 17, item 3)', () => {
  test.each([
    0,
    1,
    60_000,
    2_147_483_647,
    2_147_483_648,
    3_000_000_000,
    Number.MAX_SAFE_INTEGER,
    1.5,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '5',
    'x'.repeat(50),
    null,
    true,
    10n,
    [5],
    { ms: 5 },
  ])('timeout: %s', async (value) => {
    expect(kitVerdict('timeout', value)).toEqual(await coreVerdict('timeout', value));
  });

  test.each([0, 1, 2, 255, 256, 1.5, -1, Number.NaN, '2', null, false, 2n, [1]])('exitStatus: %s', async (value) => {
    expect(kitVerdict('exitStatus', value)).toEqual(await coreVerdict('exitStatus', value));
  });

  test('the table holds values both accept and values both refuse', async () => {
    expect(await coreVerdict('timeout', 2_147_483_647)).toEqual({ ok: true });
    expect(kitVerdict('timeout', 3_000_000_000)).toEqual({
      ok: false,
      message: 'Expected `timeout` to be a positive integer up to 2147483647 (ms), got 3000000000.',
    });
  });
});

describe('the off-words mean the same to the kit and to the core', () => {
  test.each([...coresOffWords, ' OFF ', 'No', 'true', 'on', 'yes', '', 'disabled'])('BUILDKITE_PROMISE_FAILURE=%j', async (word) => {
    const env = { BUILDKITE_JOB_ID: 'job-1', BUILDKITE_PROMISE_FAILURE: word };
    // No transport is configured: the core skips either way, and says whether it was turned off.
    const result = await promiseFailure({ env });
    expect(isPromisingJob(env)).toBe(result.code !== ErrorCode.TurnedOff);
  });
});

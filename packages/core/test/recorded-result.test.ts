import { describe, expect, it } from 'vitest';
import { ErrorCode, readRecordedResult } from '../src/index.js';
import { fakeBuildkite, jobEnv, runCaller } from './support.js';

/**
 * `readRecordedResult`: what an `exit` listener can still learn synchronously. The answers come from real
 * declarations in other processes (the caller fixture) against the testkit's fake Buildkite.
 */
describe('readRecordedResult', () => {
  it("returns nothing before an answer, then another process's accepted promise, as debounced", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    expect(readRecordedResult({ env })).toBeUndefined();
    await runCaller(env);
    const result = readRecordedResult({ env });
    expect(result).toEqual({ outcome: 'debounced', accepted: true, exitStatus: 1, transport: 'agent-api', upstreamStatus: 204 });
    // Another exit status has no answer; the one the job's variable names is read as promiseFailure reads it.
    expect(readRecordedResult({ env, exitStatus: 2 })).toBeUndefined();
    expect(readRecordedResult({ env: { ...env, BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: '1' } })).toEqual(result);
    expect(readRecordedResult({ env: { ...env, BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: '2' } })).toBeUndefined();
    // Turned off, or another job: nothing of this job's record.
    expect(readRecordedResult({ env: { ...env, BUILDKITE_PROMISE_FAILURE: 'off' } })).toBeUndefined();
    expect(readRecordedResult({ env: { ...env, BUILDKITE_JOB_ID: 'another-job' } })).toBeUndefined();
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('returns a recorded refusal with its code', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
    const env = jobEnv(fake);
    await runCaller(env);
    expect(readRecordedResult({ env })).toMatchObject({
      outcome: 'debounced',
      accepted: false,
      upstreamStatus: 404,
      code: ErrorCode.Refused,
    });
  });

  it('throws for an invalid option, naming it', () => {
    expect(() => readRecordedResult({ exitStatus: 0 })).toThrow(RangeError);
    expect(() => readRecordedResult({ exitStatus: 0 })).toThrow(/`exitStatus`/);
  });
});

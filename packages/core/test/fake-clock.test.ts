import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeBuildkite, jobEnv, startNode } from './support.js';

/*
 * A caller whose global clock and timers are faked (@sinonjs/fake-timers, the date in 2099), left installed
 * while it waits. The deadline once came from the faked `Date.now()`: the declaration's thread, on the real
 * clock, read it as decades away and every attempt threw ERR_OUT_OF_RANGE, and the caller's own wait was a
 * faked `setTimeout` that never fired. src/clock.ts is what the core uses instead.
 */
const fakeClockCaller = join(import.meta.dirname, 'fixtures', 'fake-clock-caller.cjs');

async function callUnderFakeClock(env: Record<string, string>, timeout: number) {
  const child = startNode([fakeClockCaller, String(timeout)], env);
  const done = await child.done;
  return { ...done, result: JSON.parse(done.stdout || '{}') as { accepted?: boolean; outcome?: string; code?: string } };
}

describe('a caller with fake timers installed', () => {
  it('declares: one request reaches Buildkite and the result is accepted', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const run = await callUnderFakeClock(jobEnv(fake), 20_000);
    expect(run.result, run.stderr).toMatchObject({ accepted: true, outcome: 'declared' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('with Buildkite hung, the caller still stops waiting at its timeout', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true, times: 10 });
    const run = await callUnderFakeClock(jobEnv(fake), 1_500);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result, run.stderr).toMatchObject({ accepted: false, code: 'PROMISE_FAILURE_TIMEOUT' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

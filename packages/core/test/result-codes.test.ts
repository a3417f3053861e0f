import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeBuildkite, FakeBuildkiteOptions } from '@promise-failure/testkit';
import { describe, expect, it } from 'vitest';
import { ErrorCode, type PromiseFailureResult, promiseFailure } from '../src/index.js';
import { fakeBuildkite, jobEnv } from './support.js';

/**
 * One row per way a result gets its `code`: how to provoke it on a real fake Buildkite, and what the
 * result then is. `code` is set exactly when `error` is (every row checks both).
 */
interface Row {
  code: ErrorCode;
  why: string;
  fake?: FakeBuildkiteOptions;
  setUp?: (fake: FakeBuildkite, env: Record<string, string | undefined>) => void;
  call?: { timeout?: number; signal?: AbortSignal };
  expected: Partial<PromiseFailureResult>;
  requests: number;
}

const rows: Row[] = [
  {
    code: ErrorCode.NotInJob,
    why: 'BUILDKITE_JOB_ID is not set',
    setUp: (_, env) => delete env.BUILDKITE_JOB_ID,
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.TurnedOff,
    why: 'BUILDKITE_PROMISE_FAILURE=no',
    setUp: (_, env) => (env.BUILDKITE_PROMISE_FAILURE = 'no'),
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.NoTransport,
    why: 'no Job API and no access token',
    fake: { jobApi: 'none' },
    setUp: (_, env) => delete env.BUILDKITE_AGENT_ACCESS_TOKEN,
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.InvalidEnvironment,
    why: 'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS=abc',
    setUp: (_, env) => (env.BUILDKITE_PROMISE_FAILURE_EXIT_STATUS = 'abc'),
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.InvalidEnvironment,
    why: 'BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS above 2^31−1',
    setUp: (_, env) => (env.BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS = '2147483648'),
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.InvalidEnvironment,
    why: 'BUILDKITE_AGENT_ENDPOINT is not a URL',
    setUp: (_, env) => (env.BUILDKITE_AGENT_ENDPOINT = 'agent.buildkite.com/v3'),
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.Aborted,
    why: 'the signal was aborted before the call',
    call: { signal: AbortSignal.abort() },
    expected: { outcome: 'skipped', accepted: false },
    requests: 0,
  },
  {
    code: ErrorCode.Refused,
    why: 'the Agent API answers 404 (not enabled)',
    fake: { jobApi: 'none', enabled: false },
    expected: { outcome: 'declared', accepted: false, transport: 'agent-api', upstreamStatus: 404 },
    requests: 1,
  },
  {
    code: ErrorCode.Refused,
    why: 'the Job API relays a terminal refusal',
    fake: { enabled: false },
    expected: { outcome: 'declared', accepted: false, transport: 'job-api', upstreamStatus: 404 },
    requests: 1,
  },
  {
    code: ErrorCode.Transient,
    why: 'the Job API relays a 503 after the agent gave up retrying',
    fake: { agentRetry: { attempts: 1, delayMs: 0 } },
    setUp: (fake) => fake.fault({ status: 503 }),
    expected: { outcome: 'declared', accepted: false, transport: 'job-api', upstreamStatus: 503 },
    requests: 1,
  },
  {
    code: ErrorCode.Timeout,
    why: "the Agent API hangs past the call's timeout",
    fake: { jobApi: 'none' },
    setUp: (fake) => fake.fault({ hang: true }),
    call: { timeout: 500 },
    expected: { outcome: 'declared', accepted: false },
    requests: 1,
  },
  {
    code: ErrorCode.JobApiUnavailable,
    why: 'the Job API socket is dead and there is no access token',
    fake: { jobApi: 'dead-socket' },
    setUp: (_, env) => delete env.BUILDKITE_AGENT_ACCESS_TOKEN,
    expected: { outcome: 'declared', accepted: false, transport: 'job-api' },
    requests: 0,
  },
];

describe('every result with an error has a code (table in the README)', () => {
  it.each(rows.map((row) => [row.code, row.why, row] as const))('%s: %s', async (code, _why, row) => {
    const fake = await fakeBuildkite(row.fake);
    const env: Record<string, string | undefined> = jobEnv(fake);
    row.setUp?.(fake, env);
    const result = await promiseFailure({ env, ...row.call });
    expect(result).toMatchObject({ ...row.expected, code });
    expect(typeof result.error).toBe('string');
    expect(fake.agentApiRequests()).toHaveLength(row.requests);
  });

  it('an accepted result has neither error nor code', async () => {
    const fake = await fakeBuildkite();
    const result = await promiseFailure({ env: jobEnv(fake) });
    expect(result.accepted).toBe(true);
    expect(result).not.toHaveProperty('error');
    expect(result).not.toHaveProperty('code');
  });

  it('a later process reading a recorded refusal gets its code too', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
    const env = jobEnv(fake);
    await promiseFailure({ env });
    // What another process would read from the record.
    const { readRecord, recordPath } = await import('../src/claim/record.js');
    const { jobDirectoryName } = await import('../src/claim/lock-directory.js');
    const record = readRecord(
      recordPath(join(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string, jobDirectoryName(fake.jobId)), 1),
      1,
      () => {},
    );
    expect(record).toMatchObject({ accepted: false, code: ErrorCode.Refused });
  });

  it('the core README documents every code, and only those', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `(PROMISE_FAILURE_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.values(ErrorCode).sort());
  });
});

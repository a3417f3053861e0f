import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentIdentity } from '../src/claim/holder-liveness.js';
import { jobDirectoryName } from '../src/claim/lock-directory.js';
import { callerPath, fakeBuildkite, jobEnv, machineDelay, runCaller, startNode, temporaryDirectory, waitFor } from './support.js';

/** Where the claim files of `env`'s job live. */
function jobDirectory(env: Record<string, string>): string {
  return join(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string, jobDirectoryName(env.BUILDKITE_JOB_ID as string));
}

function holderPid(env: Record<string, string>): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(jobDirectory(env), 'exit-1.claim.1'), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

describe('across processes (guarantee 1)', () => {
  it('16 processes × 100 calls make exactly one request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 30 });
    const env = jobEnv(fake);
    // Every process calls at the same moment, and each is parked between reading the claims and making
    // its own: all 16 race for the same generation, and exactly one may win it.
    const racing = { ...env, PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS: '300' };
    const startAt = Date.now() + 2_500;
    const summaries = await Promise.all(Array.from({ length: 16 }, () => runCaller(racing, 100, { startAt })));
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(summaries.reduce((sum, summary) => sum + summary.accepted, 0)).toBe(1_600);
    expect(summaries.reduce((sum, summary) => sum + (summary.outcomes.declared ?? 0), 0)).toBe(1);
  });

  it('through the Job API too: one request to the agent, one upstream', async () => {
    const fake = await fakeBuildkite({ latency: 30 });
    const env = jobEnv(fake);
    const startAt = Date.now() + 2_000;
    const racing = { ...env, PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS: '300' };
    const summaries = await Promise.all(Array.from({ length: 8 }, () => runCaller(racing, 50, { startAt })));
    expect(fake.jobApiRequests()).toHaveLength(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(summaries.every((summary) => summary.accepted === 50)).toBe(true);
  });

  it('a terminal refusal is recorded: a later process makes no request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
    const env = jobEnv(fake);
    const first = await runCaller(env);
    expect(first.results[0]).toMatchObject({ outcome: 'declared', accepted: false, upstreamStatus: 404 });
    const later = await runCaller(env);
    expect(later.results[0]).toMatchObject({ outcome: 'debounced', accepted: false, upstreamStatus: 404 });
    expect(later.results[0]?.error).toContain('not enabled for this organization');
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('a success is recorded: a later process returns it as debounced', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    await runCaller(env);
    const later = await runCaller(env);
    expect(later.results[0]).toEqual({ outcome: 'debounced', accepted: true, exitStatus: 1, transport: 'agent-api', upstreamStatus: 204 });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('transient failures across processes (guarantee 2)', () => {
  it('records nothing when retries run out, so a later process tries again', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 503, times: 1_000 });
    const env = jobEnv(fake);
    const first = await runCaller(env, 5, { timeout: 3_000 });
    expect(first.accepted).toBe(0);
    const failedAttempts = fake.agentApiRequests().length;
    expect(failedAttempts).toBeGreaterThan(1);
    expect(failedAttempts).toBeLessThanOrEqual(10);
    expect(readdirSync(jobDirectory(env))).not.toContain('exit-1.result');
    // Clear the remaining faults by letting the fake's queue be: a new fake job would be simpler, but
    // the point is the same job and the same lock directory.
    await fake.close();
    const healthy = await fakeBuildkite({ jobApi: 'none', jobId: fake.jobId });
    const later = await runCaller(
      { ...env, ...healthy.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string },
      3,
    );
    expect(later.accepted).toBe(3);
    expect(later.outcomes.declared).toBe(1);
    expect(healthy.agentApiRequests()).toHaveLength(1);
  });

  it('processes waiting on an attempt that failed share its failure instead of starting their own', async () => {
    // A slow 503 whose Retry-After is longer than any caller's timeout: the holder gives up after one attempt.
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 2_000 });
    fake.fault({ status: 503, retryAfter: 3_600 });
    const env = jobEnv(fake);
    const results = await Promise.all(Array.from({ length: 6 }, () => runCaller(env, 10)));
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(results.every((summary) => summary.accepted === 0)).toBe(true);
    expect(results.flatMap((summary) => summary.results).every((result) => result.error?.includes('503'))).toBe(true);
    // Nothing was recorded: the next caller tries again, and succeeds.
    expect((await runCaller(env, 1)).accepted).toBe(1);
    expect(fake.agentApiRequests()).toHaveLength(2);
  });
});

describe('a holder that dies (guarantee 4)', () => {
  it('SIGKILL while its request hangs: a waiting process takes over within 2 s, a later one reads the record', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const env = jobEnv(fake);
    const holder = startNode([callerPath, JSON.stringify({ calls: 1 })], env);
    await fake.waitForAgentRequests(1);
    expect(holderPid(env)).toBe(holder.pid);
    // The waiter says (a debug line) when it starts waiting on the holder: only then is the holder killed.
    const waiter = startNode([callerPath, JSON.stringify({ calls: 20 })], { ...env, BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    await waiter.waitForStderr(`waiting for pid ${holder.pid}`);
    const killedAt = Date.now();
    holder.kill('SIGKILL');
    const [second] = (await fake.waitForAgentRequests(2, { timeout: 10_000 })).slice(1);
    // The guarantee: the waiting process's own request follows the holder's death within 2 s (plus what
    // the machine takes to schedule a process right now: a broken liveness check waits 10 s or forever).
    const slack = await machineDelay();
    expect((second?.at as number) - killedAt).toBeLessThan(2_000 + slack);
    const waited = JSON.parse((await waiter.done).stdout);
    expect(waited.accepted).toBe(20);
    expect(waited.outcomes.declared).toBe(1);
    const later = await runCaller(env, 5);
    expect(later.accepted).toBe(5);
    expect(later.outcomes.debounced).toBe(5);
    expect(fake.agentApiRequests()).toHaveLength(2);
  });

  it('a zombie holder (dead, not yet reaped) is taken over', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const env = jobEnv(fake);
    // The holder's parent is a shell that then becomes `sleep`, which never reaps it.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${callerPath}" '{"calls":1}' >/dev/null 2>&1 & exec sleep 30`], {
      env,
      stdio: 'ignore',
    });
    try {
      await fake.waitForAgentRequests(1);
      const pid = await waitFor(() => holderPid(env));
      process.kill(pid, 'SIGKILL');
      await waitFor(() => (readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ') ? true : undefined));
      const taker = await runCaller(env, 1, { timeout: 10_000 });
      expect(taker.results[0]).toMatchObject({ outcome: 'declared', accepted: true });
      expect(fake.agentApiRequests()).toHaveLength(2);
    } finally {
      shell.kill('SIGKILL');
    }
  });

  it('a stopped holder (SIGSTOP) is alive: a waiter gives up at its own timeout, the holder finishes after SIGCONT', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ delay: 500 });
    const env = jobEnv(fake);
    const holder = startNode([callerPath, JSON.stringify({ calls: 1 })], env);
    await fake.waitForAgentRequests(1);
    holder.kill('SIGSTOP');
    const waiter = await runCaller(env, 1, { timeout: 1_000 });
    expect(waiter.results[0]).toMatchObject({ outcome: 'debounced', accepted: false });
    expect(waiter.results[0]?.error).toContain('timed out');
    holder.kill('SIGCONT');
    const finished = JSON.parse((await holder.done).stdout);
    expect(finished.results[0]).toMatchObject({ outcome: 'declared', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('broken records', () => {
  it('a garbage result file and a half-written, old claim do not lose the declaration', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    const directory = jobDirectory(env);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(join(directory, 'exit-1.result'), '{"accep');
    writeFileSync(join(directory, 'exit-1.claim.1'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(directory, 'exit-1.claim.1'), old, old);
    const summary = await runCaller(env, 3);
    expect(summary.accepted).toBe(3);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(directory, 'exit-1.result'), 'utf8'))).toMatchObject({ accepted: true, exitStatus: 1 });
  });

  it('a claim whose holder never wrote it is taken over after about 2 s', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    const directory = jobDirectory(env);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(join(directory, 'exit-1.claim.1'), '');
    const summary = await runCaller(env, 1);
    expect(summary.accepted).toBe(1);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(1_500);
  });
});

describe('holders that cannot be checked, or hang (guarantee 4, fine print)', () => {
  /** Plants generation 1's claim, as another process would have written it. */
  function plantClaim(env: Record<string, string>, holder: object, heartbeatAgeMs: number): void {
    const directory = jobDirectory(env);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const path = join(directory, 'exit-1.claim.1');
    writeFileSync(path, JSON.stringify(holder));
    const heartbeat = new Date(Date.now() - heartbeatAgeMs);
    utimesSync(path, heartbeat, heartbeat);
  }

  const onAnotherHost = { pid: 4_242, host: 'another-host', boot: 'another-boot', pidNamespace: undefined, startTime: undefined };

  it('a holder on another host is dead once its heartbeat is older than 10 s', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    plantClaim(env, { ...onAnotherHost, deadline: Date.now() + 600_000 }, 11_000);
    const summary = await runCaller(env, 3, { timeout: 5_000 });
    expect(summary.accepted).toBe(3);
    expect(summary.outcomes.declared).toBe(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it("a holder on another host with a fresh heartbeat is waited for, up to the caller's timeout", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    plantClaim(env, { ...onAnotherHost, deadline: Date.now() + 600_000 }, 0);
    const summary = await runCaller(env, 1, { timeout: 800 });
    expect(summary.results[0]).toMatchObject({ outcome: 'debounced', accepted: false });
    expect(summary.results[0]?.error).toContain('timed out');
    expect(fake.agentApiRequests()).toHaveLength(0);
  });

  it('a live holder past its deadline is taken over', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    // This test's own process: alive, on this host, and not the caller.
    plantClaim(env, { ...currentIdentity(), deadline: Date.now() - 1_000 }, 0);
    const summary = await runCaller(env, 1, { timeout: 5_000 });
    expect(summary.results[0]).toMatchObject({ outcome: 'declared', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('unsafe lock directories (guarantee 5)', () => {
  it('a symlinked lock directory is refused: nothing is written through it, the declaration still happens', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const base = temporaryDirectory();
    const target = join(base, 'target');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(base, 'link'));
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(base, 'link'), BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const child = startNode([callerPath, JSON.stringify({ calls: 1 })], env);
    const result = await child.done;
    expect(JSON.parse(result.stdout).accepted).toBe(1);
    expect(result.stderr).toContain('is a symlink');
    expect(readdirSync(target)).toEqual([]);
  });

  it('the default lock directory is <tmpdir>/promise-failure-<uid>, made 0700', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const tmp = temporaryDirectory();
    const env = jobEnv(fake, { TMPDIR: tmp });
    delete env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR;
    await runCaller(env);
    const root = join(tmp, `promise-failure-${process.getuid?.()}`);
    expect(existsSync(root)).toBe(true);
    expect(readdirSync(root)).toHaveLength(1);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callerPath, cliPath, fakeBuildkite, jobEnv, startNode } from './support.js';

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((name) => join(directory, name))
    .filter((path) => statSync(path).isFile());
}

describe('secrets (guarantee 6) and debug lines (guarantee 8)', () => {
  it('with debug on, every line starts promise-failure: and no token appears in any output, error, file or reason', async () => {
    for (const jobApi of ['current', 'without-route'] as const) {
      const fake = await fakeBuildkite({ jobApi });
      fake.fault({ status: 500, body: 'html' }, { status: 503 });
      const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true', BUILDKITE_REDACTED_VARS: 'NOTHING' });
      const accessToken = env.BUILDKITE_AGENT_ACCESS_TOKEN as string;
      const jobApiToken = env.BUILDKITE_AGENT_JOB_API_TOKEN as string;
      const reason = `leaking ${accessToken} and ${jobApiToken} and ${JSON.stringify(accessToken)}`;
      const child = startNode([callerPath, JSON.stringify({ calls: 3, reason })], env);
      const { stdout, stderr, code } = await child.done;
      expect(code).toBe(0);
      expect(JSON.parse(stdout).accepted).toBe(3);
      const lines = stderr.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(line).toMatch(/^promise-failure: /);
      const files = filesUnder(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string).map((path) => readFileSync(path, 'utf8'));
      const sentReasons = fake.requests.map((request) => JSON.stringify(request.body));
      for (const text of [stdout, stderr, ...files, ...sentReasons]) {
        expect(text).not.toContain(accessToken);
        expect(text).not.toContain(jobApiToken);
      }
      expect(sentReasons.some((body) => body.includes('[REDACTED]'))).toBe(true);
    }
  });

  it('BUILDKITE_AGENT_DEBUG=true turns debug lines on too', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const { stderr } = await startNode([callerPath, '{}'], jobEnv(fake, { BUILDKITE_AGENT_DEBUG: 'true' })).done;
    expect(stderr).toMatch(/^promise-failure: /m);
  });

  it('prints nothing at all without debug, even when Buildkite refuses', async () => {
    const fake = await fakeBuildkite({ jobApi: 'without-route', enabled: false });
    const { stdout, stderr } = await startNode([callerPath, '{}'], jobEnv(fake)).done;
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).results[0].upstreamStatus).toBe(404);
  });

  it('the CLI never prints a token, even when it fails', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 401, body: JSON.stringify({ message: 'bad token' }) });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const token = env.BUILDKITE_AGENT_ACCESS_TOKEN as string;
    const run = await startNode([cliPath, '--reason', `token is ${token}`], env).done;
    const doctor = await startNode([cliPath, 'doctor'], env).done;
    for (const text of [run.stdout, run.stderr, doctor.stdout, doctor.stderr]) expect(text).not.toContain(token);
    expect(run.code).toBe(1);
  });
});

describe('an abandoned declaration', () => {
  it('never keeps the process alive once no caller waits for it', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true, times: 100 });
    // The callers give up after 8 s (room for a machine running two test suites to send the request
    // first); the request then hangs on in the fake, and the process must exit anyway, not after some 60 s timer.
    const child = startNode([callerPath, JSON.stringify({ calls: 2, timeout: 8_000 })], jobEnv(fake));
    await fake.waitForAgentRequests(1, { timeout: 30_000 });
    const result = await child.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results[0]).toMatchObject({ outcome: 'declared', accepted: false, code: 'PROMISE_FAILURE_TIMEOUT' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('nor while it waits on another process, or between retries', async () => {
    const fake = await fakeBuildkite({ jobApi: 'current' });
    fake.faultJobApi({ hang: true });
    fake.fault({ status: 503, times: 100 });
    const child = startNode([callerPath, JSON.stringify({ calls: 1, timeout: 2_000 })], jobEnv(fake));
    const result = await child.done;
    expect(result.code).toBe(0);
  });
});

describe('process.exit() during a declaration (issue 10, item 15)', () => {
  it('with debug on, the core says the promise may not have been made; the exit code is the caller’s', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const source = "const { promiseFailure } = await import('@promise-failure/core'); promiseFailure({ reason: 'r' }); process.exit(3);";
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const { code, stderr } = await startNode(['--input-type=module', '-e', source], env, { cwd: join(import.meta.dirname, '..') }).done;
    expect(code).toBe(3);
    expect(stderr).toContain('promise-failure: the process is exiting before Buildkite answered: exit status 1 may not have been promised');
    for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^promise-failure: /);
  });
});

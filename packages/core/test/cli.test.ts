import { describe, expect, it } from 'vitest';
import { cliPath, fakeBuildkite, jobEnv, startNode } from './support.js';

describe('the promise-failure CLI', () => {
  it('prints one line to stdout and exits 0 when accepted', async () => {
    const fake = await fakeBuildkite();
    const { code, stdout, stderr } = await startNode([cliPath, '3', '--reason', 'tests failed'], jobEnv(fake)).done;
    expect(code).toBe(0);
    expect(stdout).toBe('promise-failure: promised exit status 3 to Buildkite (declared via job-api)\n');
    expect(stderr).toBe('');
    expect(fake.jobApiRequests()[0]?.body).toEqual({ exit_status: 3, reason: 'tests failed' });
  });

  it('accepts --reason=TEXT and the default exit status from the environment', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const { code, stdout } = await startNode([cliPath, '--reason=why'], jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: '9' })).done;
    expect(code).toBe(0);
    expect(stdout).toBe('promise-failure: promised exit status 9 to Buildkite (declared via agent-api)\n');
  });

  it('says debounced when another process already declared', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    await startNode([cliPath], env).done;
    const { stdout } = await startNode([cliPath], env).done;
    expect(stdout).toBe('promise-failure: promised exit status 1 to Buildkite (debounced via agent-api)\n');
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('prints to stderr and exits 1 when not accepted', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
    const { code, stdout, stderr } = await startNode([cliPath], jobEnv(fake)).done;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^promise-failure: exit status 1 was not accepted: .*not enabled for this organization.*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints to stdout and exits 0 when skipped', async () => {
    const { code, stdout, stderr } = await startNode([cliPath], { PATH: process.env.PATH ?? '' }).done;
    expect(code).toBe(0);
    expect(stdout).toBe('promise-failure: skipped: not in a Buildkite job (BUILDKITE_JOB_ID is not set)\n');
    expect(stderr).toBe('');
  });

  it.each([['0'], ['256'], ['two'], ['1', '2'], ['--nope'], ['--reason']])('exits 2 with the usage for %j', async (...args) => {
    const fake = await fakeBuildkite();
    const { code, stdout, stderr } = await startNode([cliPath, ...args], jobEnv(fake)).done;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: promise-failure [exit-status] [--reason TEXT]');
    expect(fake.requests).toHaveLength(0);
  });

  it('--help prints the usage to stdout', async () => {
    const { code, stdout } = await startNode([cliPath, '--help'], { PATH: process.env.PATH ?? '' }).done;
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: promise-failure');
  });

  it('doctor prints what it detects, and no token', async () => {
    const fake = await fakeBuildkite();
    const env = jobEnv(fake);
    const { code, stdout } = await startNode([cliPath, 'doctor'], env).done;
    expect(code).toBe(0);
    expect(stdout).toContain(`in a Buildkite job: yes (BUILDKITE_JOB_ID=${fake.jobId})`);
    expect(stdout).toContain('turned off: no');
    expect(stdout).toContain(`Job API: usable (socket ${fake.jobApiSocket}, token set)`);
    expect(stdout).toContain(`Agent API: usable (endpoint ${fake.endpoint}, access token set)`);
    expect(stdout).toContain(`lock directory: ${env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR}`);
    expect(stdout).not.toContain(env.BUILDKITE_AGENT_ACCESS_TOKEN);
    expect(stdout).not.toContain(env.BUILDKITE_AGENT_JOB_API_TOKEN);
    expect(fake.requests).toHaveLength(0);
  });

  it('doctor says when it is turned off, and when the Job API socket is dead', async () => {
    const fake = await fakeBuildkite({ jobApi: 'dead-socket' });
    const { stdout } = await startNode([cliPath, 'doctor'], jobEnv(fake, { BUILDKITE_PROMISE_FAILURE: 'off' })).done;
    expect(stdout).toContain('turned off: yes (BUILDKITE_PROMISE_FAILURE=off)');
    expect(stdout).toMatch(/Job API: configured but the socket .* is missing/);
  });

  it('doctor reads the variables as a call does: the false words, a bad endpoint, and never an endpoint password (issue 10, item 11)', async () => {
    const fake = await fakeBuildkite();
    const withPassword = fake.endpoint.replace('http://', 'http://gateway:hunter2secret@');
    const usable = await startNode(
      [cliPath, 'doctor'],
      jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: withPassword, BUILDKITE_PROMISE_FAILURE: 'NO' }),
    ).done;
    expect(usable.stdout).toContain(`Agent API: usable (endpoint ${fake.endpoint}, access token set)`);
    expect(usable.stdout).toContain('turned off: yes (BUILDKITE_PROMISE_FAILURE=NO)');
    const bad = await startNode(
      [cliPath, 'doctor'],
      jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: 'me:hunter2secret@nowhere', BUILDKITE_PROMISE_FAILURE: 'nope' }),
    ).done;
    expect(bad.stdout).toContain('Agent API: invalid — BUILDKITE_AGENT_ENDPOINT must be an http(s) URL');
    expect(bad.stdout).toContain('turned off: no (BUILDKITE_PROMISE_FAILURE=nope; only false, 0, off, no turn it off)');
    for (const text of [usable.stdout, usable.stderr, bad.stdout, bad.stderr]) expect(text).not.toContain('hunter2secret');
    for (const line of `${usable.stdout}${bad.stdout}`.trim().split('\n')) expect(line).toMatch(/^promise-failure: /);
  });
});

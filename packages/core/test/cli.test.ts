import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fakeBuildkite, jobEnv, startNode, temporaryDirectory } from './support.js';

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

  describe('says so when the declaration cannot be shared (issue 17, item 6)', () => {
    it('an unusable lock directory: the result line, then one warning line on stderr naming the directory and why', async () => {
      const fake = await fakeBuildkite({ jobApi: 'none' });
      // A path under a regular file cannot be made, even by root (chmod 0500 would not stop root).
      const file = join(temporaryDirectory(), 'file');
      writeFileSync(file, '');
      const lockDirectory = join(file, 'locks');
      const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: lockDirectory });
      const { code, stdout, stderr } = await startNode([cliPath], env).done;
      expect(code).toBe(0);
      expect(stdout).toBe('promise-failure: promised exit status 1 to Buildkite (declared via agent-api)\n');
      expect(stderr).toBe(
        `promise-failure: processes on this machine cannot share the declaration: lock directory ${lockDirectory} cannot be used (ENOTDIR: not a directory)\n`,
      );
      for (const token of [env.BUILDKITE_AGENT_ACCESS_TOKEN, env.BUILDKITE_AGENT_JOB_API_TOKEN]) {
        if (token) expect(stdout + stderr).not.toContain(token);
      }
    });

    it('not accepted, and not shared: the result line and the warning, both on stderr', async () => {
      const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
      const file = join(temporaryDirectory(), 'file');
      writeFileSync(file, '');
      const { code, stdout, stderr } = await startNode([cliPath], jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(file, 'locks') }))
        .done;
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^promise-failure: exit status 1 was not accepted: /);
      expect(lines[1]).toMatch(
        /^promise-failure: processes on this machine cannot share the declaration: lock directory .* cannot be used/,
      );
    });

    it('a relative lock directory and no checkout path: two CLIs in two directories each say so, and nothing is written there', async () => {
      const fake = await fakeBuildkite({ jobApi: 'none' });
      const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: 'relative/locks' });
      const directories = [temporaryDirectory(), temporaryDirectory()];
      const runs = await Promise.all(directories.map((cwd) => startNode([cliPath], env, { cwd }).done));
      const warning =
        'promise-failure: processes on this machine cannot share the declaration: BUILDKITE_PROMISE_FAILURE_LOCK_DIR="relative/locks" ' +
        'is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set, so each process would read it against its own working directory\n';
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stdout).toBe('promise-failure: promised exit status 1 to Buildkite (declared via agent-api)\n');
        expect(run.stderr).toBe(warning);
      }
      // Refused, not read against each working directory: each process declared on its own.
      expect(fake.agentApiRequests()).toHaveLength(2);
      for (const cwd of directories) expect(readdirSync(cwd)).toEqual([]);
    });

    it('a usable lock directory: no warning', async () => {
      const fake = await fakeBuildkite({ jobApi: 'none' });
      const checkout = temporaryDirectory();
      mkdirSync(join(checkout, 'a'));
      const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: '.locks', BUILDKITE_BUILD_CHECKOUT_PATH: checkout });
      const { code, stderr } = await startNode([cliPath], env, { cwd: join(checkout, 'a') }).done;
      expect(code).toBe(0);
      expect(stderr).toBe('');
    });

    it('doctor reports the relative lock directory without a checkout path', async () => {
      const fake = await fakeBuildkite();
      const { code, stdout } = await startNode([cliPath, 'doctor'], jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: 'relative/locks' }))
        .done;
      expect(code).toBe(0);
      expect(stdout).toContain(
        'promise-failure: doctor: lock directory: BUILDKITE_PROMISE_FAILURE_LOCK_DIR="relative/locks" is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set',
      );
      expect(stdout).toContain('each process declares on its own (not shared)');
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, type Job, startJob } from '../support/job.js';
import { onLatestOf } from '../support/on-latest.js';
import { latestMocha, mochaMajors, registerArgs, runMocha } from './run-mocha.js';

const declaredLine = 'promise-failure: promised exit status 1 to Buildkite (declared via job-api)';

describe.each(mochaMajors)('mocha --require @promise-failure/mocha/register (Mocha $major)', (mocha) => {
  let job: Job;
  const onLatest = onLatestOf(mocha, latestMocha);

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  it('a passing run: no request, no output from us', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, 'pass/']);

    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('promise-failure');
    expect(job.fake.requests).toHaveLength(0);
  });

  it('keeps another reporter (dot): one request, one line, the exit code unchanged', async () => {
    const without = await runMocha(job, mocha, ['--reporter', 'dot', 'fail/', 'pass/'], { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...registerArgs, '--reporter', 'dot', 'fail/', 'pass/']);

    expect(run.code).toBe(without.code);
    expect(run.stdout).toContain('3 failing');
    expect(run.stdout).not.toContain('✔ accepts a good password');
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toMatch(/^mocha: .* failed \(fail\/\w+\.spec\.js\)$/);
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('--parallel with failures, a failing hook and a broken file in several workers: one request, waited for', async () => {
    await job.close();
    job = await startJob({ latency: 1000 });
    const args = ['--parallel', '--jobs', '3', '--exit', 'fail/', 'hook/', 'broken/', 'pass/'];
    const without = await runMocha(job, mocha, args, { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...registerArgs, ...args]);

    expect(run.code).toBe(without.code);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    // A worker may declare first (register runs in every worker): the main process then shares it, debounced.
    expect(run.ourStderrLines).toEqual([
      expect.stringMatching(/^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via job-api\)$/),
    ]);
  });

  it('a failing hook: one request naming it', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, 'hook/']);

    expect(run.code).toBe(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'mocha: database › "before all" hook for "reads" failed (hook/hook.spec.js)',
    );
  });

  it('a file that does not compile (serial): one request', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, 'broken/', 'pass/']);

    expect(run.code).toBe(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toContain('(broken/broken.spec.js)');
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('retried then passed, skipped and todo: no request', async () => {
    const retried = await runMocha(job, mocha, [...registerArgs, '--retries', '3', 'flaky/', 'skipped/']);
    const parallel = await runMocha(job, mocha, [...registerArgs, '--retries', '3', '--parallel', 'flaky/', 'skipped/']);

    for (const run of [retried, parallel]) {
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('promise-failure');
    }
    expect(job.fake.requests).toHaveLength(0);
  });

  it('--pass-on-failing-test-suite: nothing promised', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, '--pass-on-failing-test-suite', 'fail/']);

    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('promise-failure');
    expect(job.fake.requests).toHaveLength(0);
  });

  it('--bail --exit: it still waits for Buildkite', async () => {
    await job.close();
    job = await startJob({ latency: 1500 });
    const run = await runMocha(job, mocha, [...registerArgs, '--bail', '--exit', 'fail/']);

    expect(run.code).toBe(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  onLatest('outside Buildkite: silent', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, 'fail/'], { outsideBuildkite: true });

    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).not.toContain('promise-failure');
    expect(job.fake.requests).toHaveLength(0);
  });

  it('configure() from a --require file of the project: its exitStatus is promised', async () => {
    const run = await runMocha(job, mocha, ['--require', './configure-register.cjs', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).exit_status).toBe(4);
    expect(run.ourStderrLines).toEqual(['promise-failure: promised exit status 4 to Buildkite (declared via job-api)']);
  });

  it('with the reporter too: still one request and one line', async () => {
    const run = await runMocha(job, mocha, [...registerArgs, '--reporter', '@promise-failure/mocha', 'fail/']);

    expect(run.code).toBe(3);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });
});

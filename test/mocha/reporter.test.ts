import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, type Job, loadedMachineSlack, ourLines, startJob } from '../support/job.js';
import { onLatestOf } from '../support/on-latest.js';
import { latestMocha, mochaMajors, reporterArgs, runMocha } from './run-mocha.js';

const declaredLine = 'promise-failure: promised exit status 1 to Buildkite (declared via job-api)';

describe.each(mochaMajors)('mocha --reporter @promise-failure/mocha (Mocha $major)', (mocha) => {
  let job: Job;
  const onLatest = onLatestOf(mocha, latestMocha);

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  it('a passing run: no request, no output from us, spec output kept, the core not even loaded', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--require', './report-core-loaded.cjs', 'pass/']);
    const failing = await runMocha(job, mocha, [...reporterArgs, '--require', './report-core-loaded.cjs', 'fail/login.spec.js']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ adds');
    expect(run.stdout).toContain('3 passing');
    expect(run.stdout + run.stderr).not.toContain('promise-failure');
    expect(run.stderr).toContain('core loaded: false; declaration code loaded: false');
    // A failing run declares (only the core sends the request): Mocha's own thread loads the core's front, and
    // the core declares from its worker thread. test/loading checks every thread of a run.
    expect(failing.stderr).toContain('promise-failure: promised exit status 1');
    expect(failing.stderr).toContain('core loaded: true; declaration code loaded: false');
    expect(job.fake.agentApiRequests()).toHaveLength(1);
  });

  it('failures across several files: one request, one line, the exit code unchanged', async () => {
    const without = await runMocha(job, mocha, ['--reporter', 'spec', 'fail/', 'pass/'], { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...reporterArgs, 'fail/', 'pass/']);

    expect(without.code).toBe(3);
    expect(run.code).toBe(without.code);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).exit_status).toBe(1);
    expect(run.ourStderrLines).toEqual([declaredLine]);
    expect(ourLines(run.stdout)).toEqual([]);
    // The spec output is kept.
    expect(run.stdout).toContain('rejects bad password');
    expect(run.stdout).toContain('3 failing');
  });

  it('--parallel: failures, a failing hook and a file that does not load in several workers: one request', async () => {
    const args = ['--parallel', '--jobs', '3', 'fail/', 'hook/', 'broken/', 'pass/'];
    const without = await runMocha(job, mocha, ['--reporter', 'dot', ...args], { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...reporterArgs, ...args]);

    expect(without.code).toBe(5);
    expect(run.code).toBe(without.code);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('the reason names the runner, the full title and the file relative to the working directory', async () => {
    await runMocha(job, mocha, [...reporterArgs, 'fail/checkout.spec.js']);

    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'mocha: checkout › payment › charges the card failed (fail/checkout.spec.js)',
    );
  });

  it('retried then passed (this.retries and --retries), serial and --parallel: no request', async () => {
    const serial = await runMocha(job, mocha, [...reporterArgs, '--retries', '3', 'flaky/']);
    const parallel = await runMocha(job, mocha, [...reporterArgs, '--retries', '3', '--parallel', '--jobs', '2', 'flaky/']);

    for (const run of [serial, parallel]) {
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain('promise-failure');
    }
    expect(job.fake.requests).toHaveLength(0);
  });

  it('a test that fails every retry: one request', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--retries', '1', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
  });

  it('skipped, pending and todo tests: no request', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, 'skipped/']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pending/);
    expect(job.fake.requests).toHaveLength(0);
    expect(run.stderr).not.toContain('promise-failure');
  });

  it('a failing hook: one request naming the hook', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, 'hook/']);

    expect(run.code).toBe(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'mocha: database › "before all" hook for "reads" failed (hook/hook.spec.js)',
    );
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('a file that does not compile (serial: Mocha exits before any test runs): one request', async () => {
    const without = await runMocha(job, mocha, ['broken/', 'pass/'], { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...reporterArgs, 'broken/', 'pass/']);

    expect(without.code).toBe(1);
    expect(run.code).toBe(without.code);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    const reason = bodyOf(job.fake.agentApiRequests()[0]).reason;
    expect(reason).toMatch(/^mocha: /);
    expect(reason).toContain('(broken/broken.spec.js)');
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('a file that does not compile, --parallel: one request naming the file', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--parallel', 'broken/', 'pass/']);

    expect(run.code).toBe(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toContain('(broken/broken.spec.js)');
  });

  onLatest('the exitStatus option is the promised status', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'exitStatus=3', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).exit_status).toBe(3);
    expect(run.ourStderrLines).toEqual(['promise-failure: promised exit status 3 to Buildkite (declared via job-api)']);
  });

  onLatest('enabled=false: no request, no line, output kept', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'enabled=false', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 failing');
    expect(job.fake.requests).toHaveLength(0);
    expect(run.stderr).not.toContain('promise-failure');
  });

  onLatest('an invalid option: one warning line, nothing promised, output and exit code kept', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'exitStatus=0', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 failing');
    expect(job.fake.requests).toHaveLength(0);
    const lines = run.ourStderrLines;
    expect(lines).toHaveLength(1);
    expect(lines).toEqual([
      'promise-failure: @promise-failure/mocha is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.',
    ]);
  });

  onLatest(
    'a timeout the core would refuse (above 2147483647): turned off at start, in one line, the exit code unchanged (issue 17, item 3)',
    async () => {
      const args = ['--require', './tests-start.cjs', '--reporter-option', 'timeout=3000000000'];
      const turnedOff =
        'promise-failure: @promise-failure/mocha is turned off: Expected `timeout` to be a positive integer up to 2147483647 (ms), got 3000000000.';
      const without = await runMocha(job, mocha, ['--reporter', 'spec', 'fail/login.spec.js'], { outsideBuildkite: true });
      const failing = await runMocha(job, mocha, [...reporterArgs, ...args, 'fail/login.spec.js']);
      const passing = await runMocha(job, mocha, [...reporterArgs, ...args, 'pass/']);

      expect(failing.code).toBe(without.code);
      expect(failing.stdout).toContain('1 failing');
      expect(failing.ourStderrLines).toEqual([turnedOff]);
      // Before the first test: said by the constructor, not left to the core at the first failure.
      expect(failing.stderr.indexOf(turnedOff)).toBeGreaterThanOrEqual(0);
      expect(failing.stderr.indexOf(turnedOff)).toBeLessThan(failing.stderr.indexOf('tests start'));
      // A passing run, which never calls the core, hears of it too.
      expect(passing.code).toBe(0);
      expect(passing.ourStderrLines).toEqual([turnedOff]);
      expect(job.fake.requests).toHaveLength(0);
    },
  );

  onLatest('outside Buildkite: silent, no request, same exit code', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, 'fail/'], { outsideBuildkite: true });

    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).not.toContain('promise-failure');
    expect(job.fake.requests).toHaveLength(0);
  });

  onLatest('turned off in the environment (BUILDKITE_PROMISE_FAILURE=false): silent, no request', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, 'fail/'], { env: { BUILDKITE_PROMISE_FAILURE: 'false' } });

    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).not.toContain('promise-failure');
    expect(job.fake.requests).toHaveLength(0);
  });

  onLatest('a bad environment value: a warning naming it, no request', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, 'fail/login.spec.js'], {
      env: { BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: 'abc' },
    });

    expect(run.code).toBe(1);
    expect(job.fake.requests).toHaveLength(0);
    const lines = run.ourStderrLines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: did not promise the failure to Buildkite: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS/);
  });

  it('--pass-on-failing-test-suite (flag, and in a config file): nothing promised, exit 0', async () => {
    const flag = await runMocha(job, mocha, [...reporterArgs, '--pass-on-failing-test-suite', 'fail/', 'hook/']);
    const config = await runMocha(job, mocha, [...reporterArgs, '--config', 'pass-on-failing.mocharc.json', 'fail/']);
    const parallel = await runMocha(job, mocha, [...reporterArgs, '--pass-on-failing-test-suite', '--parallel', 'fail/', 'broken/']);

    for (const run of [flag, config, parallel]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('failing');
      expect(run.stderr).not.toContain('promise-failure');
    }
    expect(job.fake.requests).toHaveLength(0);
  });

  it.each(['--exit', '--bail', '--parallel --exit', '--parallel --bail'])('%s: it still waits for Buildkite', async (flags) => {
    await job.close();
    job = await startJob({ latency: 1500 });
    const run = await runMocha(job, mocha, [...reporterArgs, ...flags.split(' '), 'fail/']);

    expect(run.code).toBeGreaterThan(0);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    // Buildkite accepted it before Mocha exited.
    expect(job.fake.agentApiRequests()[0]?.status).toBeGreaterThanOrEqual(200);
    expect(job.fake.agentApiRequests()[0]?.status).toBeLessThan(300);
    expect(run.ourStderrLines).toEqual([declaredLine]);
  });

  it('Buildkite down: the run ends about flushTimeout later, same exit code, one warning', async () => {
    await job.close();
    job = await startJob({ jobApi: 'none' });
    job.fake.fault({ hang: true, times: 100 });
    const without = await runMocha(job, mocha, ['fail/login.spec.js'], { outsideBuildkite: true });
    const run = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'flushTimeout=1000', 'fail/login.spec.js']);

    expect(run.code).toBe(without.code);
    expect(run.durationMs).toBeGreaterThanOrEqual(1000);
    // Not kept alive by the hanging request (the line below says the flush timed out at 1000 ms).
    expect(run.durationMs).toBeLessThan(without.durationMs + 1000 + loadedMachineSlack);
    const lines = run.ourStderrLines;
    expect(lines).toEqual([
      "promise-failure: could not promise the failure to Buildkite: timed out after 1000 ms (flushTimeout); the run's exit code is unchanged",
    ]);
  });

  onLatest('Buildkite refuses (not enabled for this organization): a warning, same exit code', async () => {
    await job.close();
    job = await startJob({ enabled: false });
    const run = await runMocha(job, mocha, [...reporterArgs, 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    const lines = run.ourStderrLines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: could not promise exit status 1 to Buildkite: .*not enabled/);
  });

  it('--reporter-option reporter=dot keeps dot output; other options reach the inner reporter', async () => {
    const outputDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-mocha-xunit-'));
    try {
      const dot = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'reporter=dot', 'fail/login.spec.js']);
      expect(dot.code).toBe(1);
      expect(dot.stdout).toContain('1 failing');
      expect(dot.stdout).not.toContain('✔ accepts a good password');
      expect(dot.ourStderrLines).toEqual([declaredLine]);

      const xunitFile = path.join(outputDir, 'results.xml');
      const xunit = await runMocha(job, mocha, [
        ...reporterArgs,
        '--reporter-option',
        `reporter=xunit,output=${xunitFile}`,
        'fail/login.spec.js',
      ]);
      expect(xunit.code).toBe(1);
      // xunit writes its file in its own done(): chained after ours.
      expect(await readFile(xunitFile, 'utf8')).toContain('rejects bad password');
      expect(xunit.ourStderrLines).toHaveLength(1);
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  it('--reporter-option reporter=<module path> drives that reporter', async () => {
    const run = await runMocha(job, mocha, [...reporterArgs, '--reporter-option', 'reporter=./custom-reporter.cjs', 'fail/login.spec.js']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('custom reporter: 1 failed');
    expect(job.fake.agentApiRequests()).toHaveLength(1);
  });

  it.each([
    ['serial', ['early/fast-fail.spec.js', 'early/slow.spec.js']],
    ['--parallel', ['--parallel', '--jobs', '2', 'early/slow.spec.js', 'early/fast-fail.spec.js']],
  ])('early (%s): the request reaches Buildkite while a slower file still runs', async (_mode, args) => {
    const markDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-mocha-early-'));
    try {
      const mark = path.join(markDir, 'slow-finished');
      const run = await runMocha(job, mocha, [...reporterArgs, ...args], { env: { SLOW_TEST_MARK: mark, SLOW_TEST_MS: '3000' } });

      expect(run.code).toBe(1);
      const slowFinishedAt = Number(await readFile(mark, 'utf8'));
      const [request] = job.fake.agentApiRequests();
      expect(request).toBeDefined();
      expect(request!.at).toBeLessThan(slowFinishedAt);
    } finally {
      await rm(markDir, { recursive: true, force: true });
    }
  });
});

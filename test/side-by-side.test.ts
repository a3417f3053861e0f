import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Job, type JobRunOptions, startJob } from './support/job.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const fixtures = path.join(here, 'side-by-side/fixtures');

let job: Job;

beforeEach(async () => {
  // A little latency, so the three runs really are in flight together.
  job = await startJob({ latency: 300 });
});

afterEach(async () => {
  await job.close();
});

/** The three runners over their fixtures; `options` chooses inside or outside the job, and the reporter. */
function runners(options: Omit<JobRunOptions, 'cwd'>) {
  const withoutReporter = options.env?.WITHOUT_PROMISE_FAILURE !== undefined;
  return {
    jest: () =>
      job.run(
        process.execPath,
        [path.join(root, 'node_modules/jest/bin/jest.js'), `--cacheDirectory=${path.join(job.scratch, 'jest-cache')}`],
        {
          ...options,
          cwd: path.join(fixtures, 'jest'),
        },
      ),
    vitest: () =>
      job.run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run'], {
        ...options,
        cwd: path.join(fixtures, 'vitest'),
      }),
    mocha: () =>
      job.run(
        process.execPath,
        [
          path.join(root, 'node_modules/mocha/bin/mocha.js'),
          ...(withoutReporter ? [] : ['--reporter', '@promise-failure/mocha']),
          '--parallel',
          '--jobs',
          '2',
          'fail/',
          'pass/',
        ],
        { ...options, cwd: path.join(here, 'mocha/fixtures/project') },
      ),
  };
}

it('Jest, Vitest and Mocha side by side in one job: one Agent API request in all, exit codes unchanged', async () => {
  const without = runners({ outsideBuildkite: true, env: { WITHOUT_PROMISE_FAILURE: '1' } });
  const baseline = { jest: await without.jest(), vitest: await without.vitest(), mocha: await without.mocha() };

  const inJob = runners({});
  const [jest, vitest, mocha] = await Promise.all([inJob.jest(), inJob.vitest(), inJob.mocha()]);

  expect(job.fake.agentApiRequests()).toHaveLength(1);
  expect(job.fake.promisedExitStatus()).toBe(1);
  for (const [name, run] of Object.entries({ jest, vitest, mocha })) {
    const before = baseline[name as keyof typeof baseline];
    expect(before.code, `${name} fails without the reporter`).toBeGreaterThan(0);
    expect(run.code, `${name}'s exit code`).toBe(before.code);
    expect(run.ourStderrLines, `${name}'s line`).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(/^promise-failure: promised exit status 1 to Buildkite \((declared|debounced)/);
  }
});

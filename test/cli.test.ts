import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { describe, expect, it } from 'vitest';
import { transcript, withJob } from './support/job.js';
import { runProcess } from './support/run-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The command `npx promise-failure` runs in this repository: the link npm made at install time. */
const linkedBin = path.join(root, 'node_modules/.bin/promise-failure');
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };

describe('the promise-failure command in this repository', () => {
  it('is linked by `npm install` (a committed shim, not dist/, which does not exist before the first build)', async () => {
    expect(await realpath(linkedBin)).toBe(path.join(root, 'packages/core/bin/promise-failure.js'));
  });

  it('`promise-failure doctor` runs from the repository root, outside Buildkite', async () => {
    const run = await runProcess(linkedBin, ['doctor'], { cwd: root, env, timeout: 60_000 });
    expect(run.code, transcript(run)).toBe(0);
    // The first line says whether this is a Buildkite job (the core owns the wording around it).
    expect(run.stdout.split('\n')[0]).toMatch(/doctor: in a Buildkite job: no\b/);
    expect(run.stderr).toBe('');
  });

  it('`promise-failure 1` in a job promises the failure, once', async () => {
    await withJob({}, async (job) => {
      const run = await job.run(linkedBin, ['1', '--reason', 'from the command line'], { cwd: root });
      expect(run.code, transcript(run)).toBe(0);
      expect(run.ourLines).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via job-api)']);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
    });
  });
});

describe("the testkit's fake Buildkite", () => {
  it('with the same fixed jobId twice: the second run is not answered from the first run’s record', async () => {
    for (const attempt of [1, 2]) {
      const fake = await startFakeBuildkite({ jobId: 'fixed-job-id' });
      try {
        // Only the fake's env: its own lock directory, not one this test chose.
        const run = await runProcess(linkedBin, ['1'], { cwd: root, env: { ...env, ...fake.env }, timeout: 60_000 });
        expect(run.stdout, `run ${attempt}: ${transcript(run)}`).toContain('(declared via job-api)');
        expect(fake.agentApiRequests(), `run ${attempt}`).toHaveLength(1);
      } finally {
        await fake.close();
      }
    }
  });
});

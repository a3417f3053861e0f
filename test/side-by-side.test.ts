import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { type FakeBuildkite, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const fixtures = path.join(here, 'side-by-side/fixtures');

let buildkite: FakeBuildkite;
let scratch: string;

beforeEach(async () => {
  // A little latency, so the three runs really are in flight together.
  buildkite = await startFakeBuildkite({ latency: 300 });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-side-by-side-'));
});

afterEach(async () => {
  await buildkite.close();
  await rm(scratch, { recursive: true, force: true });
});

function runners(env: NodeJS.ProcessEnv) {
  return {
    jest: () =>
      runProcess(
        process.execPath,
        [path.join(root, 'node_modules/jest/bin/jest.js'), `--cacheDirectory=${path.join(scratch, 'jest-cache')}`],
        {
          cwd: path.join(fixtures, 'jest'),
          env,
        },
      ),
    vitest: () =>
      runProcess(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: path.join(fixtures, 'vitest'), env }),
    mocha: () =>
      runProcess(
        process.execPath,
        [
          path.join(root, 'node_modules/mocha/bin/mocha.js'),
          ...(env.WITHOUT_PROMISE_FAILURE ? [] : ['--reporter', '@promise-failure/mocha']),
          '--parallel',
          '--jobs',
          '2',
          'fail/',
          'pass/',
        ],
        { cwd: path.join(here, 'mocha/fixtures/project'), env },
      ),
  };
}

it('Jest, Vitest and Mocha side by side in one job: one Agent API request in all, exit codes unchanged', async () => {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), NO_COLOR: '1' };
  const lockDir = path.join(scratch, 'lock');

  const without = runners({ ...base, WITHOUT_PROMISE_FAILURE: '1' });
  const baseline = { jest: await without.jest(), vitest: await without.vitest(), mocha: await without.mocha() };

  const inJob = runners({ ...base, ...buildkite.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: lockDir });
  const [jest, vitest, mocha] = await Promise.all([inJob.jest(), inJob.vitest(), inJob.mocha()]);

  expect(buildkite.agentApiRequests()).toHaveLength(1);
  expect(buildkite.promisedExitStatus()).toBe(1);
  for (const [name, run] of Object.entries({ jest, vitest, mocha })) {
    const before = baseline[name as keyof typeof baseline];
    expect(before.code, `${name} fails without the reporter`).toBeGreaterThan(0);
    expect(run.code, `${name}'s exit code`).toBe(before.code);
    const lines = stripVTControlCharacters(run.stderr)
      .split('\n')
      .filter((line) => line.startsWith('promise-failure:'));
    expect(lines, `${name}'s line`).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: promised exit status 1 to Buildkite \((declared|debounced)/);
  }
});

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FixtureRecords, fixtureRecords } from '../support/fixture-records.js';
import type { Job, JobRun } from '../support/job.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

export interface JestVersion {
  readonly major: 29 | 30;
  /** Jest's CLI script, run with `node`. */
  readonly bin: string;
}

/** Every supported major, installed side by side at the root: `jest` (30) and the alias `jest29`. */
export const jestVersions: readonly JestVersion[] = [
  { major: 30, bin: join(root, 'node_modules/jest/bin/jest.js') },
  { major: 29, bin: join(root, 'node_modules/jest29/bin/jest.js') },
];

/** The newest major: where tests of the reporter's own rules run (see `test/README.md`, "one major or all"). */
export const latestJest = jestVersions[0] as JestVersion;

export interface RunJestOptions {
  /** A fixture directory under `fixtures/`: the run's working directory. */
  readonly fixture: string;
  /** Jest's command-line arguments. */
  readonly args?: readonly string[];
  /** The reporter's options, as in `['@promise-failure/jest', options]`. */
  readonly reporterOptions?: Readonly<Record<string, unknown>>;
  /** Run the same config without the reporter. */
  readonly withoutReporter?: boolean;
  /** More variables for the child; `undefined` removes one of the job's (e.g. `BUILDKITE_JOB_ID`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Record which @promise-failure files each process loaded (see {@link JestRun.loadedModules}). */
  readonly recordModules?: boolean;
}

export interface JestRun extends JobRun, FixtureRecords {}

/**
 * Runs one real Jest process over a fixture in `job`, with a fresh Jest cache of its own (a fresh cache also
 * means no timings, so Jest uses its workers instead of running a few fast files in band).
 */
export async function runJest(job: Job, jest: JestVersion, options: RunJestOptions): Promise<JestRun> {
  const records = await fixtureRecords(job, 'jest-', options);
  const env: Record<string, string | undefined> = {
    ...records.env,
    PROMISE_FAILURE_REPORTER_OPTIONS: JSON.stringify(options.reporterOptions ?? {}),
    ...(options.withoutReporter ? { WITHOUT_PROMISE_FAILURE: '1' } : {}),
    ...options.env,
  };
  const args = [jest.bin, `--cacheDirectory=${join(records.scratch, 'cache')}`, ...(options.args ?? [])];
  const run = await job.run(process.execPath, args, { cwd: join(fixturesDir, options.fixture), env });
  return { ...run, ...(await records.collect()) };
}

/** The line a run prints when Buildkite accepted the promise. */
export function acceptedLine(exitStatus = 1, how = 'declared via job-api'): string {
  return `promise-failure: promised exit status ${exitStatus} to Buildkite (${how})`;
}

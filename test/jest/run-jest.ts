import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export interface JestRun extends JobRun {
  /** What the fixture recorded in FIXTURE_MARKER_DIR: file name → contents. */
  readonly markers: Record<string, string>;
  /** The @promise-failure files each process loaded with `require` (only with `recordModules`). */
  readonly loadedModules: string[][];
}

/**
 * Runs one real Jest process over a fixture in `job`, with a fresh Jest cache of its own (a fresh cache also
 * means no timings, so Jest uses its workers instead of running a few fast files in band).
 */
export async function runJest(job: Job, jest: JestVersion, options: RunJestOptions): Promise<JestRun> {
  const scratch = await mkdtemp(join(job.scratch, 'jest-'));
  const markerDir = join(scratch, 'markers');
  const modulesDir = join(scratch, 'modules');
  await mkdir(markerDir);
  await mkdir(modulesDir);
  const env: Record<string, string | undefined> = {
    FIXTURE_MARKER_DIR: markerDir,
    PROMISE_FAILURE_REPORTER_OPTIONS: JSON.stringify(options.reporterOptions ?? {}),
    ...(options.withoutReporter ? { WITHOUT_PROMISE_FAILURE: '1' } : {}),
    ...(options.recordModules
      ? { FIXTURE_MODULES_DIR: modulesDir, NODE_OPTIONS: `--require ${join(fixturesDir, 'record-modules.cjs')}` }
      : {}),
    ...options.env,
  };
  const args = [jest.bin, `--cacheDirectory=${join(scratch, 'cache')}`, ...(options.args ?? [])];
  const run = await job.run(process.execPath, args, { cwd: join(fixturesDir, options.fixture), env });
  return {
    ...run,
    markers: await readFiles(markerDir),
    loadedModules: Object.values(await readFiles(modulesDir)).map((json) => JSON.parse(json) as string[]),
  };
}

async function readFiles(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of await readdir(dir)) entries[name] = await readFile(join(dir, name), 'utf8');
  return entries;
}

/** The line a run prints when Buildkite accepted the promise. */
export function acceptedLine(exitStatus = 1, how = 'declared via job-api'): string {
  return `promise-failure: promised exit status ${exitStatus} to Buildkite (${how})`;
}

import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeBuildkite, type FakeBuildkiteOptions, startFakeBuildkite } from '@promise-failure/testkit';
import { type RunResult, runProcess } from '../support/run-process.js';

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

export interface RunJestOptions {
  /** A fixture directory under `fixtures/`: the run's working directory. */
  readonly fixture: string;
  /** Jest's command-line arguments. */
  readonly args?: readonly string[];
  /** A job's variables (a fake Buildkite's `env`); none means outside Buildkite. */
  readonly buildkiteEnv?: Readonly<Record<string, string>>;
  /** The reporter's options, as in `['@promise-failure/jest', options]`. */
  readonly reporterOptions?: Readonly<Record<string, unknown>>;
  /** Run the same config without the reporter. */
  readonly withoutReporter?: boolean;
  /** More variables for the child. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface JestRun extends RunResult {
  /** Lines of stdout and stderr that this project printed (they start with `promise-failure:`). */
  readonly ourLines: string[];
  /** What the fixture recorded in FIXTURE_MARKER_DIR: file name → contents. */
  readonly markers: Record<string, string>;
  /** The @promise-failure files each process loaded with `require` (only with `recordModules`). */
  readonly loadedModules: string[][];
}

/**
 * Runs one real Jest process over a fixture with an explicit environment: PATH and HOME, the job's
 * variables when given, and a fresh lock directory and Jest cache (a fresh cache also means no timings,
 * so Jest uses its workers instead of running a few fast files in band).
 */
export async function runJest(jest: JestVersion, options: RunJestOptions & { recordModules?: boolean }): Promise<JestRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'promise-failure-jest-e2e-'));
  try {
    const markerDir = join(scratch, 'markers');
    const modulesDir = join(scratch, 'modules');
    await mkdir(markerDir);
    await mkdir(modulesDir);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? scratch,
      NO_COLOR: '1',
      ...options.buildkiteEnv,
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(scratch, 'lock'),
      FIXTURE_MARKER_DIR: markerDir,
      PROMISE_FAILURE_REPORTER_OPTIONS: JSON.stringify(options.reporterOptions ?? {}),
      ...(options.withoutReporter ? { WITHOUT_PROMISE_FAILURE: '1' } : {}),
      ...(options.recordModules
        ? { FIXTURE_MODULES_DIR: modulesDir, NODE_OPTIONS: `--require ${join(fixturesDir, 'record-modules.cjs')}` }
        : {}),
      ...options.env,
    };
    const args = [jest.bin, `--cacheDirectory=${join(scratch, 'cache')}`, ...(options.args ?? [])];
    const result = await runProcess(process.execPath, args, { cwd: join(fixturesDir, options.fixture), env, timeout: 90_000 });
    const ourLines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.startsWith('promise-failure:'));
    return {
      ...result,
      ourLines,
      markers: await readFiles(markerDir),
      loadedModules: Object.values(await readFiles(modulesDir)).map((json) => JSON.parse(json) as string[]),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
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

/** Starts a fake Buildkite for one test and always closes it. */
export async function withFakeBuildkite<T>(options: FakeBuildkiteOptions, use: (fake: FakeBuildkite) => Promise<T>): Promise<T> {
  const fake = await startFakeBuildkite(options);
  try {
    return await use(fake);
  } finally {
    await fake.close();
  }
}

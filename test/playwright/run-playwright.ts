import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FixtureRecords, fixtureRecords } from '../support/fixture-records.js';
import type { Job, JobRun } from '../support/job.js';

export { bodyOf, type Job, startJob, transcript } from '../support/job.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

export interface PlaywrightVersion {
  /** `1.65.1`, read from the installed package. */
  readonly version: string;
  /** The `@playwright/test` package directory: the fixtures' tests `require` it (PLAYWRIGHT_TEST_PACKAGE). */
  readonly packageDir: string;
  /** Its CLI script, run with `node`. */
  readonly cli: string;
}

function installed(packageDir: string): PlaywrightVersion {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { version, packageDir, cli: join(packageDir, 'cli.js') };
}

/**
 * Every supported version, installed side by side at the root: the current `@playwright/test` and the one
 * of a year before as the alias `playwright-test-1-57` (the peer dependency's lower bound). No browsers: no
 * fixture uses `page`.
 */
export const playwrightVersions: readonly PlaywrightVersion[] = [
  installed(join(root, 'node_modules/@playwright/test')),
  installed(join(root, 'node_modules/playwright-test-1-57')),
];

export interface RunPlaywrightOptions {
  /** A fixture project under `fixtures/`: the run's working directory. */
  readonly fixture: string;
  /** `playwright test` arguments: files, flags. */
  readonly args?: readonly string[];
  /** `with` (default): `list` and ours; `only`: ours alone; `without`: `list` alone. */
  readonly reporters?: 'with' | 'only' | 'without';
  /** Our reporter's options, as in `['@promise-failure/playwright', options]`. */
  readonly reporterOptions?: Readonly<Record<string, unknown>>;
  /** More variables for the child; `undefined` removes one (e.g. `BUILDKITE_JOB_ID`, to run outside Buildkite). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Record the @promise-failure modules each process loaded. */
  readonly recordModules?: boolean;
  /** Markers to write before the run starts (name → content). */
  readonly markers?: Readonly<Record<string, string>>;
  /**
   * Called with the markers directory once the run started, and a promise of the run's end: a test writes
   * `release` there when the fake Buildkite received the promise.
   */
  readonly whileRunning?: (markerDir: string, ended: Promise<unknown>) => Promise<void>;
}

export interface PlaywrightRun extends JobRun, FixtureRecords {}

/**
 * Runs `playwright test` of one version over a fixture project, in the job (its fake Buildkite, lock
 * directory and clean environment), with `node` and the version's CLI script.
 */
export async function runPlaywright(job: Job, playwright: PlaywrightVersion, options: RunPlaywrightOptions): Promise<PlaywrightRun> {
  const records = await fixtureRecords(job, 'playwright-', options);
  for (const [name, content] of Object.entries(options.markers ?? {})) await writeFile(join(records.markerDir, name), content);
  const env: Record<string, string | undefined> = {
    ...records.env,
    PLAYWRIGHT_TEST_PACKAGE: playwright.packageDir,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    FIXTURE_OUTPUT_DIR: join(records.scratch, 'test-results'),
    PROMISE_FAILURE_REPORTERS: options.reporters ?? 'with',
    PROMISE_FAILURE_REPORTER_OPTIONS: JSON.stringify(options.reporterOptions ?? {}),
    ...options.env,
  };
  const running = job.run(process.execPath, [playwright.cli, 'test', ...(options.args ?? [])], {
    cwd: join(fixturesDir, options.fixture),
    env,
    timeout: 180_000,
  });
  const [result] = await Promise.all([running, options.whileRunning?.(records.markerDir, running)]);
  return { ...result, ...(await records.collect()) };
}

/** Writes `release` into the markers once the fake Buildkite received a promise request; stops waiting when the run ends. */
export function releaseOnRequest(job: Job): (markerDir: string, ended: Promise<unknown>) => Promise<void> {
  return async (markerDir, ended) => {
    const received = job.fake.waitForAgentRequests(1, { timeout: 180_000 }).then(
      () => writeFile(join(markerDir, 'release'), String(Date.now())),
      () => undefined,
    );
    await Promise.race([received, ended]);
  };
}

/** The line a run prints when Buildkite accepted the promise. */
export function acceptedLine(exitStatus = 1, how = 'declared via job-api'): string {
  return `promise-failure: promised exit status ${exitStatus} to Buildkite (${how})`;
}

/** The reason of the one Agent API request, or `undefined`. */
export function reasonOf(job: Job): string | undefined {
  return (job.fake.agentApiRequests()[0]?.body as { reason?: string } | undefined)?.reason;
}

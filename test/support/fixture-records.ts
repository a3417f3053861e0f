import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job } from './job.js';

const recordModules = fileURLToPath(new URL('./record-modules.cjs', import.meta.url));

/** What the fixtures of one run wrote down. */
export interface FixtureRecords {
  /** What the fixtures wrote in FIXTURE_MARKER_DIR: file name → contents. */
  readonly markers: Record<string, string>;
  /** The @promise-failure files each process and thread loaded with `require` (only with `recordModules`). */
  readonly loadedModules: string[][];
}

export interface FixtureRecordsSetup {
  /** A fresh directory of this run's own inside the job's scratch (a runner's cache may go there too). */
  readonly scratch: string;
  /** Where the fixtures write their markers. */
  readonly markerDir: string;
  /** For the child: FIXTURE_MARKER_DIR and, with `recordModules`, the preloaded record-modules.cjs. */
  readonly env: Record<string, string>;
  /** Reads what the fixtures wrote; call it once the run is over. */
  collect(): Promise<FixtureRecords>;
}

/**
 * One run's records, for the runners whose fixtures write markers and whose tests check what a run loaded
 * (Jest, Playwright): a directory of the run's own in `job`, its markers directory and, with `recordModules`,
 * `record-modules.cjs` preloaded in every process and thread of the run.
 */
export async function fixtureRecords(job: Job, prefix: string, options: { recordModules?: boolean } = {}): Promise<FixtureRecordsSetup> {
  const scratch = await mkdtemp(join(job.scratch, prefix));
  const markerDir = join(scratch, 'markers');
  const modulesDir = join(scratch, 'modules');
  await mkdir(markerDir);
  await mkdir(modulesDir);
  return {
    scratch,
    markerDir,
    env: {
      FIXTURE_MARKER_DIR: markerDir,
      ...(options.recordModules ? { FIXTURE_MODULES_DIR: modulesDir, NODE_OPTIONS: `--require ${recordModules}` } : {}),
    },
    async collect() {
      return {
        markers: await readFiles(markerDir),
        loadedModules: Object.values(await readFiles(modulesDir)).map((json) => JSON.parse(json) as string[]),
      };
    },
  };
}

async function readFiles(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of await readdir(dir)) entries[name] = await readFile(join(dir, name), 'utf8');
  return entries;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { Job, JobRun } from '../support/job.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** The fixture project: one folder per situation (`pass/`, `fail/`, `hook/`, `broken/`, …). */
export const fixtureDir = path.join(here, 'fixtures/project');

/** Each supported Mocha major, installed at the root under its own alias. */
export const mochaMajors = [
  { major: 10, bin: path.join(root, 'node_modules/mocha10/bin/mocha.js') },
  { major: 11, bin: path.join(root, 'node_modules/mocha/bin/mocha.js') },
  { major: 12, bin: path.join(root, 'node_modules/mocha12/bin/mocha.js') },
] as const;

export type MochaMajor = (typeof mochaMajors)[number];

/** The newest major: where tests of the reporter's own rules run (see `test/README.md`, "Every major, or the newest"). */
export const latestMocha: MochaMajor = mochaMajors[2];

export const reporterArgs = ['--reporter', '@promise-failure/mocha'] as const;
export const registerArgs = ['--require', '@promise-failure/mocha/register'] as const;

export interface RunMochaOptions {
  /** More variables for the child; `undefined` removes one of the job's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run outside Buildkite (no job variables): the baseline to compare exit codes with. */
  readonly outsideBuildkite?: boolean;
  /** Default: the fixture project. */
  readonly cwd?: string;
  readonly timeout?: number;
}

/** Runs `node <mocha bin> …args` in `job`; its output without colours (Mocha 12 colours it). */
export async function runMocha(job: Job, mocha: MochaMajor, args: readonly string[], options: RunMochaOptions = {}): Promise<JobRun> {
  const { cwd = fixtureDir, ...rest } = options;
  const run = await job.run(process.execPath, [mocha.bin, ...args], { cwd, ...rest });
  return { ...run, stdout: stripVTControlCharacters(run.stdout), stderr: stripVTControlCharacters(run.stderr) };
}

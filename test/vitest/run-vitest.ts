import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job, JobRun } from '../support/job.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The fixture project every Vitest end-to-end test runs (its config reads PF_MODE and PF_OPTIONS). */
export const fixtureProject = fileURLToPath(new URL('./fixtures/project', import.meta.url));

const exampleProject = path.join(root, 'examples/vitest');

/** Each supported major, installed side by side at the root (`vitest3` is an npm alias). */
export const vitestMajors = [
  { major: 4, bin: path.join(root, 'node_modules/vitest/vitest.mjs') },
  { major: 3, bin: path.join(root, 'node_modules/vitest3/vitest.mjs') },
] as const;

export type VitestMajor = (typeof vitestMajors)[number];

/** The newest major: where tests of the reporter's own rules run (see `test/README.md`, "Every major, or the newest"). */
export const latestVitest: VitestMajor = vitestMajors[0];

export interface VitestRunOptions {
  /** How the fixture wires the reporter. Default `reporter`. */
  mode?: 'reporter' | 'plugin' | 'both' | 'none';
  /** Reporter options, passed through PF_OPTIONS as JSON. */
  options?: unknown;
  /** More variables for the child; `undefined` removes one of the job's. */
  env?: Record<string, string | undefined>;
}

/** Runs `vitest run …args` of one major over the fixture project, in `job`. */
export function runVitest(
  job: Job,
  major: VitestMajor,
  args: readonly string[],
  { mode = 'reporter', options, env = {} }: VitestRunOptions = {},
): Promise<JobRun> {
  const childEnv = { PF_MODE: mode, ...(options === undefined ? {} : { PF_OPTIONS: JSON.stringify(options) }), ...env };
  return job.run(process.execPath, [major.bin, 'run', ...args], { cwd: fixtureProject, env: childEnv });
}

/** Runs `examples/vitest` with its own config, as `npm test` there would (Vitest 4). */
export function runVitestExample(job: Job): Promise<JobRun> {
  return job.run(process.execPath, [latestVitest.bin, 'run'], { cwd: exampleProject });
}

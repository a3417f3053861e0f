import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { type FakeBuildkite, type FakeBuildkiteOptions, startFakeBuildkite } from '@promise-failure/testkit';
import { type RunResult, runProcess } from '../support/run-process.js';

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

export const reporterArgs = ['--reporter', '@promise-failure/mocha'] as const;
export const registerArgs = ['--require', '@promise-failure/mocha/register'] as const;

/** One fake Buildkite job and a fresh lock directory, for one test. */
export interface Job {
  buildkite: FakeBuildkite;
  lockDir: string;
  /** The child's whole environment: PATH, HOME, the job's variables and the lock directory. */
  env: NodeJS.ProcessEnv;
  /** The same, outside Buildkite (no job variables). */
  envOutsideBuildkite: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startJob(options?: FakeBuildkiteOptions): Promise<Job> {
  const buildkite = await startFakeBuildkite(options);
  const lockDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-mocha-e2e-'));
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), BUILDKITE_PROMISE_FAILURE_LOCK_DIR: lockDir };
  return {
    buildkite,
    lockDir,
    env: { ...base, ...buildkite.env },
    envOutsideBuildkite: base,
    async close() {
      await buildkite.close();
      await rm(lockDir, { recursive: true, force: true });
    },
  };
}

/** Runs `node <mocha bin> …args` in the fixture project; its output without colours (Mocha 12 colours it). */
export async function runMocha(
  mocha: MochaMajor,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { cwd?: string; timeout?: number } = {},
): Promise<RunResult> {
  const run = await runProcess(process.execPath, [mocha.bin, ...args], { cwd: options.cwd ?? fixtureDir, env, timeout: options.timeout });
  return { ...run, stdout: stripVTControlCharacters(run.stdout), stderr: stripVTControlCharacters(run.stderr) };
}

/** The lines this project printed (each starts `promise-failure:`). */
export function promiseFailureLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('promise-failure:'));
}

/** `body.reason` / `body.exit_status` of a recorded Agent API request. */
export function bodyOf(request: { body: unknown } | undefined): { reason?: string; exit_status?: number } {
  return (request?.body ?? {}) as { reason?: string; exit_status?: number };
}

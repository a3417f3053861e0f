import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeBuildkite, type FakeBuildkiteOptions, startFakeBuildkite } from '@promise-failure/testkit';
import { type RunResult, runProcess } from '../support/run-process.js';

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

export interface VitestRunOptions {
  /** How the fixture wires the reporter. Default `reporter`. */
  mode?: 'reporter' | 'plugin' | 'both' | 'none';
  /** Reporter options, passed through PF_OPTIONS as JSON. */
  options?: unknown;
  /** More variables for the child; `undefined` removes one of the fake's. */
  env?: Record<string, string | undefined>;
}

/** One test's world: its own fake Buildkite and lock directory, and a way to run Vitest in that job. */
export interface VitestJob {
  fake: FakeBuildkite;
  lockDir: string;
  run(args: readonly string[], options?: VitestRunOptions): Promise<RunResult>;
  /** Runs `examples/vitest` with its own config, as `npm test` there would (Vitest 4). */
  runExample(): Promise<RunResult>;
  close(): Promise<void>;
}

export async function startVitestJob(major: VitestMajor, fakeOptions?: FakeBuildkiteOptions): Promise<VitestJob> {
  const fake = await startFakeBuildkite(fakeOptions);
  const lockDir = await mkdtemp(path.join(tmpdir(), 'pf-vitest-e2e-'));
  // An explicit environment: nothing inherited from the machine's own CI or Buildkite variables.
  const jobEnv = (extra: Record<string, string | undefined>) => {
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      ...fake.env,
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: lockDir,
      ...extra,
    };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    return env;
  };
  return {
    fake,
    lockDir,
    run(args, { mode = 'reporter', options, env = {} } = {}) {
      const childEnv = jobEnv({ PF_MODE: mode, ...(options === undefined ? {} : { PF_OPTIONS: JSON.stringify(options) }), ...env });
      return runProcess(process.execPath, [major.bin, 'run', ...args], { cwd: fixtureProject, env: childEnv, timeout: 90_000 });
    },
    runExample() {
      return runProcess(process.execPath, [major.bin, 'run'], { cwd: exampleProject, env: jobEnv({}), timeout: 90_000 });
    },
    async close() {
      await fake.close();
      await rm(lockDir, { recursive: true, force: true });
    },
  };
}

/** Every line our reporter printed (stdout and stderr). */
export function promiseFailureLines(result: RunResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.includes('promise-failure'));
}

/** Lines on stderr only, where the reporter must print. */
export function promiseFailureStderrLines(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('promise-failure:'));
}

/** For assertion messages: what the run printed. */
export function transcript(result: RunResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

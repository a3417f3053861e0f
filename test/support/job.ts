import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { type FakeBuildkite, type FakeBuildkiteOptions, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach } from 'vitest';
import { type RunResult, runProcess } from './run-process.js';

/**
 * One test's Buildkite job: its own fake Buildkite, its own lock directory and scratch space, and a way to
 * run real processes inside it. Every runner's end-to-end tests start from here, so that a job means the
 * same thing in each of them.
 */
export interface Job {
  /** The testkit's fake Buildkite: its request log is what the tests assert on. */
  readonly fake: FakeBuildkite;
  /**
   * The whole environment of a child in this job: `PATH`, `HOME`, `NO_COLOR`, the job's variables and a
   * fresh `BUILDKITE_PROMISE_FAILURE_LOCK_DIR`. Nothing else is inherited from the machine (its own CI or
   * Buildkite variables would leak into the runs otherwise).
   */
  readonly env: Record<string, string>;
  /** The same environment outside Buildkite: no job variables. */
  readonly envOutsideBuildkite: Record<string, string>;
  /** A temporary directory for this job (the lock directory lives in it), removed by {@link Job.close}. */
  readonly scratch: string;
  /**
   * Runs a real process to completion with the job's environment plus `env` (a value of `undefined` removes
   * a variable, e.g. `BUILDKITE_JOB_ID` to run outside Buildkite). Never rejects for a non-zero exit.
   */
  run(command: string, args: readonly string[], options: JobRunOptions): Promise<JobRun>;
  close(): Promise<void>;
}

export interface JobRunOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Start from {@link Job.envOutsideBuildkite} instead of {@link Job.env}: the same run as a developer's
   * laptop would make it (the baseline a test compares exit codes with).
   *
   * @default false
   */
  readonly outsideBuildkite?: boolean;
  /** Kill the child (SIGKILL) after this many ms. Default 90,000: a loaded 2-core machine is slow. */
  readonly timeout?: number;
}

export interface JobRun extends RunResult {
  /** The lines of stdout and stderr this project printed (they start with `promise-failure:`). */
  readonly ourLines: string[];
  /** The lines of stderr only that start with `promise-failure:` (where reporters must print). */
  readonly ourStderrLines: string[];
  /** `Date.now()` when the process had ended: the earliest modes' tests bound Buildkite's request against it. */
  readonly endedAt: number;
}

export async function startJob(options?: FakeBuildkiteOptions): Promise<Job> {
  const fake = await startFakeBuildkite(options);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-e2e-'));
  const envOutsideBuildkite = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    NO_COLOR: '1',
    BUILDKITE_PROMISE_FAILURE_LOCK_DIR: path.join(scratch, 'lock'),
  };
  const env = {
    ...envOutsideBuildkite,
    ...fake.env,
    BUILDKITE_PROMISE_FAILURE_LOCK_DIR: envOutsideBuildkite.BUILDKITE_PROMISE_FAILURE_LOCK_DIR,
  };
  return {
    fake,
    env,
    envOutsideBuildkite,
    scratch,
    async run(command, args, { cwd, env: extra = {}, outsideBuildkite = false, timeout = 90_000 }) {
      const childEnv: Record<string, string> = { ...(outsideBuildkite ? envOutsideBuildkite : env) };
      for (const [name, value] of Object.entries(extra)) {
        if (value === undefined) delete childEnv[name];
        else childEnv[name] = value;
      }
      const result = await runProcess(command, args, { cwd, env: childEnv, timeout });
      const endedAt = Date.now();
      return { ...result, endedAt, ourLines: ourLines(`${result.stdout}\n${result.stderr}`), ourStderrLines: ourLines(result.stderr) };
    },
    async close() {
      await fake.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The lines this project printed in `output`, without colours (each starts `promise-failure:`). */
export function ourLines(output: string): string[] {
  return stripVTControlCharacters(output)
    .split('\n')
    .filter((line) => line.startsWith('promise-failure:'));
}

/**
 * The one line of a job whose failure was promised through the Job API, by this process (`declared`) or by
 * another that got there first (`debounced`: a worker, the environment, another runner).
 */
export const acceptedLine = /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via job-api\)$/;

/** `body.reason` / `body.exit_status` of a recorded Agent API or Job API request. */
export function bodyOf(request: { body: unknown } | undefined): { reason?: string; exit_status?: number } {
  return (request?.body ?? {}) as { reason?: string; exit_status?: number };
}

/** For assertion messages: what the run printed. */
export function transcript(result: RunResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** Starts a job for one test and always closes it, whatever `use` does. */
export async function withJob<T>(options: FakeBuildkiteOptions, use: (job: Job) => Promise<T>): Promise<T> {
  const job = await startJob(options);
  try {
    return await use(job);
  } finally {
    await job.close();
  }
}

/**
 * How much longer than its baseline a run may take where a test bounds a duration ("Buildkite down: the
 * run ends about flushTimeout later"). Two runs of the same command vary by well over 10 s on a 2-core
 * machine running another suite, so the bound only catches what it is for: a run kept alive until the
 * core's own 60 s request timeout, or killed at the job helper's 90 s. That the flush timed out at
 * `flushTimeout` is shown by the line the reporter prints, which names it.
 */
export const loadedMachineSlack = 40_000;

/**
 * A directory in the job's scratch where fixture tests write markers (`Date.now()` when they got somewhere),
 * and `read(name)`: the marker named `name`, or `name.<anything>` (a fixture that adds its process id).
 */
export interface Markers {
  readonly directory: string;
  read(name: string): Promise<number>;
}

async function makeMarkers(job: Job): Promise<Markers> {
  const directory = path.join(job.scratch, 'markers');
  await mkdir(directory);
  return {
    directory,
    async read(name) {
      const file = (await readdir(directory)).find((entry) => entry === name || entry.startsWith(`${name}.`));
      if (file === undefined) throw new Error(`the fixture wrote no ${name} marker`);
      return Number(await readFile(path.join(directory, file), 'utf8'));
    },
  };
}

/**
 * For a `describe` block whose tests place Buildkite's request on a fixture's timeline (the earliest modes,
 * a fake clock in a worker): a fresh job with its {@link Markers} before each test, closed after it.
 * `job` and `markers` are the running test's: read them inside a test, not when the block is defined.
 */
export function markedJobForEachTest(options?: FakeBuildkiteOptions): { readonly job: Job; readonly markers: Markers } {
  let current: { job: Job; markers: Markers } | undefined;
  beforeEach(async () => {
    const job = await startJob(options);
    current = { job, markers: await makeMarkers(job) };
  });
  afterEach(async () => {
    await current?.job.close();
    current = undefined;
  });
  const running = () => {
    if (current === undefined) throw new Error('no test is running: read job and markers inside a test');
    return current;
  };
  return {
    get job() {
      return running().job;
    },
    get markers() {
      return running().markers;
    },
  };
}

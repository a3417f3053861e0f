import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type FakeBuildkite, type FakeBuildkiteOptions, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI and a script that makes many calls in one process: child processes run the dist build. */
export const cliPath = join(here, '..', 'dist', 'cli.js');
export const callerPath = join(here, 'fixtures', 'caller.mjs');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the test, before the cleanups registered earlier. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A fake Buildkite closed after the test. */
export async function fakeBuildkite(options?: FakeBuildkiteOptions): Promise<FakeBuildkite> {
  const fake = await startFakeBuildkite(options);
  cleanups.push(() => fake.close());
  return fake;
}

/** A fresh directory removed after the test. */
export function temporaryDirectory(prefix = 'pf-core-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** The env of a job on `fake`, with its own lock directory, and nothing inherited but PATH. */
export function jobEnv(fake: FakeBuildkite, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ...fake.env,
    BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(temporaryDirectory(), 'locks'),
    ...extra,
  };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  pid: number;
  done: Promise<ChildResult>;
  /** Resolves once the child's stderr contains `text` (rejects if it exits first). */
  waitForStderr(text: string): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a real Node process; it is killed after the test if still running. */
export function startNode(args: string[], env: Record<string, string>, options: { cwd?: string } = {}): Child {
  const child = spawn(process.execPath, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const watchers = new Set<() => void>();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const check of watchers) check();
  });
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const waitForStderr = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
      check();
      done.then(() => {
        if (watchers.delete(check)) reject(new Error(`the child exited without printing ${JSON.stringify(text)}: ${stderr}`));
      }, reject);
    });
  return { pid: child.pid as number, done, waitForStderr, kill: (signal = 'SIGKILL') => child.kill(signal) };
}

/**
 * Resolves with `probe()`'s first value that is not `undefined`, polling every 10 ms: for what a child
 * process does that no event of ours reports (a file it creates, its state in `/proc`). Rejects after
 * `timeout` ms, generous for a loaded machine.
 */
export async function waitFor<T>(probe: () => T | undefined, timeout = 20_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${probe.toString()}`);
    await sleep(10);
  }
}

/**
 * How long this machine takes, right now, to start a trivial Node process and see it exit: about 50 ms when
 * idle, seconds when a second test suite shares its two cores. Tests that check a latency the design
 * guarantees (a takeover within 2 s) add it, so that they fail on a broken design, not on a busy machine.
 */
export async function machineDelay(): Promise<number> {
  const started = performance.now();
  await startNode(['-e', '0'], { PATH: process.env.PATH ?? '' }).done;
  return performance.now() - started;
}

export interface CallerSummary {
  calls: number;
  outcomes: Record<string, number>;
  accepted: number;
  results: {
    outcome: string;
    accepted: boolean;
    transport?: string;
    upstreamStatus?: number;
    error?: string;
    code?: string;
    warning?: string;
  }[];
  /** ms from the first call to the last result. */
  elapsedMs: number;
}

/** Runs `calls` concurrent `promiseFailure()` calls in a child process and returns its summary. */
export async function runCaller(
  env: Record<string, string>,
  calls = 1,
  options: { exitStatus?: number; reason?: string; timeout?: number; startAt?: number; cwd?: string } = {},
): Promise<CallerSummary> {
  const { cwd, ...call } = options;
  const child = startNode([callerPath, JSON.stringify({ calls, ...call })], env, { cwd });
  const result = await child.done;
  if (result.code !== 0) throw new Error(`caller exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as CallerSummary;
}

import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochNow, monotonicNow } from './clock.js';

/*
 * One bounded wait per process. A runner's worker process may run many test files, and each file starts a
 * run of its own (Jest makes its environment per file, Mocha's register starts a run per file of a worker):
 * with Buildkite hung, each waited its full `flushTimeout`, one after another (6 failing files under Jest's
 * --runInBand: six `flushTimeout`s instead of one). The runs of one process share one budget instead:
 * together they wait at most `flushTimeout`, however many files fail. Every run of the process takes part,
 * the main process's reporter too: under `--runInBand` Jest's environment and its reporter share the
 * process, and the reporter's final wait has only what the files left (it still prints its one line, at
 * once when nothing is left).
 *
 * The budget is kept on `globalThis` under a `Symbol.for` key, not in this module: Jest and Vitest may
 * evaluate this module once per test file (a module registry each), and every copy must find the same
 * budget. `Symbol.for` gives every copy the same key; the global is the process's (Jest runs environments
 * and reporters outside the tests' sandbox).
 *
 * A process is not always the unit, though. Vitest (3 and 4, measured) runs each test file in a fresh worker
 * while `isolate` is on, its default: a new child process per file in the `forks` pool, a new thread (a
 * global of its own) per file in `threads`. There a budget per process would bound nothing: each of 6 failing
 * files waited its own `flushTimeout`. So Vitest's reporter also shares a window between its main process and
 * every worker ({@link shareFlushWindow}): a file, named at random by the main process and handed to the
 * workers with the settings, holding when the run's waits end (epoch ms), written by the first wait. Every
 * wait, in any worker or in the main process, ends by then. Nothing is lost by cutting a worker's wait short:
 * the worker only waited so that its request was not cut off, and the reporter in the main process declares
 * too (the core's claim lets it take over from a worker that is gone within 2 s) and waits at the end. So the
 * run waits one `flushTimeout` in all, whatever its number of files.
 */
const budgetKey = Symbol.for('@promise-failure/reporting.flushBudget');

interface FlushBudget {
  /** Milliseconds the runs of this process have waited so far. */
  spent: number;
  /** The window shared with other processes of the same run, if any (a file path). */
  window?: string;
}

function processBudget(): FlushBudget {
  const holder = globalThis as { [budgetKey]?: FlushBudget };
  holder[budgetKey] ??= { spent: 0 };
  return holder[budgetKey];
}

/** A new, unguessable path for a run's shared window, in the temporary directory (nothing is created yet). */
export function newFlushWindowPath(): string {
  return join(tmpdir(), `promise-failure-flush-${randomUUID()}`);
}

/** Every later wait of this process also ends when the run's shared window at `path` does. */
export function shareFlushWindow(path: string): void {
  processBudget().window = path;
}

/** Removes the run's shared window, if a wait created it (the main process, at the end of the run). Never throws. */
export function removeFlushWindow(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

/** How long a run may still wait, out of `flushTimeout`: what this process's runs and the run's window leave. */
export function flushAllowance(flushTimeout: number): number {
  const budget = processBudget();
  const left = Math.max(0, flushTimeout - budget.spent);
  if (budget.window === undefined) return left;
  const end = windowEnd(budget.window, flushTimeout);
  return end === undefined ? left : Math.max(0, Math.min(left, end - epochNow()));
}

/**
 * When the shared window ends: read from its file, or set to `flushTimeout` from now by the first wait, which
 * creates it (exclusively: of two processes, one writes it and the other reads it). `undefined` when it cannot
 * be had (a read-only temporary directory, a file being written): the process's own budget still bounds the wait.
 */
function windowEnd(path: string, flushTimeout: number): number | undefined {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  if (descriptor !== undefined) {
    const end = epochNow() + flushTimeout;
    try {
      writeSync(descriptor, String(end));
    } catch {
      // A full disk: the other processes read nothing and use their own budget.
    } finally {
      closeSync(descriptor);
    }
    return end;
  }
  try {
    const end = Number(readFileSync(path, 'utf8'));
    return Number.isFinite(end) && end > 0 ? end : undefined;
  } catch {
    return undefined;
  }
}

/** Measures one wait and charges it to the process's budget, whether it ended on an answer or a timeout. */
export async function chargedWait<T>(wait: () => Promise<T>): Promise<T> {
  const started = monotonicNow();
  try {
    return await wait();
  } finally {
    processBudget().spent += monotonicNow() - started;
  }
}

import { monotonicNow } from './clock.js';

/*
 * One bounded wait per process. A runner's worker process may run many test files, and each file starts a
 * run of its own (Jest's environment is made per file, Vitest's setup file runs per file, Mocha's register
 * per file of a worker): with Buildkite hung, each waited its full `flushTimeout` (6 failing files, 5 s:
 * Jest --runInBand took 36 s instead of 6). The runs of one process share one budget instead: together they
 * wait at most `flushTimeout`, however many files fail.
 *
 * The budget is kept on `globalThis` under a `Symbol.for` key, not in this module: Jest and Vitest may
 * evaluate this module once per test file (a module registry each), and every copy must find the same
 * budget. `Symbol.for` gives every copy the same key; the global is the process's (Jest runs environments
 * and reporters outside the tests' sandbox). A worker thread has a global of its own, and so a budget.
 */
const budgetKey = Symbol.for('@promise-failure/reporting.flushBudget');

interface FlushBudget {
  /** Milliseconds the runs of this process have waited so far. */
  spent: number;
}

function processBudget(): FlushBudget {
  const holder = globalThis as { [budgetKey]?: FlushBudget };
  holder[budgetKey] ??= { spent: 0 };
  return holder[budgetKey];
}

/** How long a run may still wait, out of `flushTimeout`, after what the process's earlier runs waited. */
export function flushAllowance(flushTimeout: number): number {
  return Math.max(0, flushTimeout - processBudget().spent);
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

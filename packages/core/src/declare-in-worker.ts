import { EventEmitter } from 'node:events';
import worker_threads from 'node:worker_threads';
import { now, startTimer } from './clock.js';
import type { DeclarationPlan } from './declare.js';
import { isDebugOn } from './environment.js';
import { ErrorCode, oneLine, PromiseFailureError } from './errors.js';
import { holdExitUntilAnswered } from './exit-grace.js';
import { failedOutcome, type Outcome } from './outcome.js';

/*
 * Why a worker thread. A declaration's own work is small, but it starts cold: loading undici's modules,
 * compiling its HTTP parser (WebAssembly) on the first response, the claim's file-system calls, the
 * connection and the garbage all that leaves. On the caller's thread that was about 96 ms of CPU for a
 * fresh process (the cold-path row of `npm run bench`), taken from a test run at its first failing test.
 * Here the caller's thread validates, coalesces (the memo in promise-failure.ts stays on it: a repeated
 * call stays sub-microsecond, racing calls make one request), reads the record, starts this thread and
 * reads its messages; the claim, the transports and the request run in the worker (declare-worker.ts).
 *
 * The worker never keeps the process alive: it is unref'd from the start, as every timer and socket of
 * an in-thread declaration is. What keeps a process alive is the caller's own wait (its `timeout`), as
 * before; an abandoned declaration carries on in the worker until its deadline or the process's end.
 * A caller's `signal` needs no message: it only ever stopped that caller's wait (promise-failure.ts),
 * never a declaration that other callers share, and the wait is on the caller's thread.
 *
 * Where no worker can be started (a permission model without `--allow-worker`, a thread limit) or its
 * code does not load (the core bundled into one file, without its `declare-worker` file beside it), the
 * declaration runs in the caller's thread, exactly as it did before this file: a degraded environment
 * loses nothing but time, and a debug line says why. So does a worker that fails before it began (an
 * error in its start-up: `NODE_OPTIONS=--require x.js` where x.js calls `process.chdir`, which throws in a
 * worker), one that has not begun within {@link startDeadline}, and a `Worker` that is not Node's (a test
 * that stubbed `worker_threads.Worker`: it is read at the call, from the module object a stub replaces).
 *
 * "Began" is one cell of shared memory, not a message: the worker sets it from `unstarted` to `begun`
 * before it touches the claim, the caller's thread sets it to `abandoned` before it declares itself, and
 * whichever compare-and-swap comes first decides, without either thread's event loop. A message could not:
 * a runner's thread busy with the next test reads it late, and a worker that had begun would then race the
 * caller's own attempt on the claim (both under this process's pid, so each would wait on the other).
 * A worker that fails after it began may hold the claim, so that failure is the declaration's outcome
 * (not final: the next call tries again).
 */

/**
 * What the worker is given: the plan without its functions (a thread receives data, not closures), whether
 * to send debug lines (the caller's thread redacts and writes them, on its own stderr), and the cells shared
 * with the caller's thread ({@link WorkerCell}).
 */
export type WorkerPlan = Omit<DeclarationPlan, 'caller' | 'redact' | 'log'> & { debug: boolean; cells: Int32Array };

/**
 * The cells of `WorkerPlan.cells`: `start`, whether the worker or the caller's thread declares
 * ({@link WorkerStart}); `answered`, set to 1 by the worker once it has posted its outcome (exit-grace.ts).
 */
export const WorkerCell = { start: 0, answered: 1 } as const;

/** The values of the `start` cell: set once, from `unstarted`, by whichever thread is first. */
export const WorkerStart = { unstarted: 0, begun: 1, abandoned: 2 } as const;

/**
 * How long the caller's thread waits for the worker to begin before it declares itself: 5 s, or half of
 * what remains to the declaration's deadline if that is less. A worker begins within tens of milliseconds
 * (a few hundred on a loaded machine); one that has not in 5 s is stuck in its start-up.
 */
export const startDeadline = 5_000;

/** What the worker says, in this order: started, then any of log and requested, then outcome or failed. */
export type WorkerMessage =
  | { kind: 'started' }
  | { kind: 'log'; message: string }
  | { kind: 'requested' }
  | { kind: 'outcome'; outcome: Outcome }
  | { kind: 'failed'; error: string };

/**
 * The worker's file, beside this module's own: the build has one per format (`dist/declare-worker.js`,
 * `dist/declare-worker.cjs`; the CommonJS build gets `import.meta.url` from tsup's shims). Run from the
 * source (this repository's tests, under Vitest), it is the built one.
 */
function workerFile(): URL {
  const own = import.meta.url;
  if (own.endsWith('.cjs')) return new URL('./declare-worker.cjs', own);
  if (own.endsWith('.js')) return new URL('./declare-worker.js', own);
  return new URL('../dist/declare-worker.js', own);
}

/** Runs `plan` in an unref'd worker thread; in this thread where none can run it. Never rejects. */
export function declareInWorker(plan: DeclarationPlan): Promise<Outcome> {
  const cells = new Int32Array(new SharedArrayBuffer(8));
  const workerData: WorkerPlan = {
    key: plan.key,
    jobId: plan.jobId,
    exitStatus: plan.exitStatus,
    reason: plan.reason,
    env: { ...plan.env },
    transports: plan.transports,
    deadline: plan.deadline,
    debug: isDebugOn(plan.env),
    cells,
  };
  let worker: import('node:worker_threads').Worker;
  try {
    worker = startDeclarationWorker(workerData);
  } catch (error) {
    plan.log(`no worker thread could be started (${describe(error)}): declaring in this thread`);
    return declareInThisThread(plan);
  }
  // A stand-in for Node's Worker (a test's stub) may never start anything, nor say so.
  if (!(worker instanceof EventEmitter) || !Number.isInteger(worker.threadId) || worker.threadId <= 0) {
    plan.log("worker_threads.Worker is not Node's own (a test's stub?): declaring in this thread");
    return declareInThisThread(plan);
  }
  /** True when this thread took the declaration back: the worker had not begun, and now never will. */
  const takeBack = () =>
    Atomics.compareExchange(cells, WorkerCell.start, WorkerStart.unstarted, WorkerStart.abandoned) === WorkerStart.unstarted;
  const releaseExit = holdExitUntilAnswered(plan.key, cells, WorkerCell.answered, plan.log);
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome | Promise<Outcome>) => {
      if (settled) return;
      settled = true;
      stopWaitingForStart();
      releaseExit();
      resolve(outcome);
    };
    const failed = (why: string) => {
      if (settled) return;
      if (takeBack()) {
        plan.log(`the declaration's worker thread did not start (${why}): declaring in this thread`);
        settle(declareInThisThread(plan));
        return;
      }
      const problem = new PromiseFailureError(ErrorCode.Internal, `the declaration's worker thread failed: ${why}`);
      settle(failedOutcome(plan.exitStatus, problem, plan.redact));
    };
    // Unref'd (it must not hold the process open) and on clock.ts's clock (a test's fake timers would stop it).
    const wait = Math.ceil(Math.min(startDeadline, Math.max(1, (plan.deadline - now()) / 2)));
    const stopWaitingForStart = startTimer(
      wait,
      () => {
        if (settled || !takeBack()) return;
        plan.log(`the declaration's worker thread did not start within ${wait} ms: declaring in this thread`);
        void worker.terminate();
        settle(declareInThisThread(plan));
      },
      { keepAlive: false },
    );
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'started':
          break;
        case 'log':
          plan.log(message.message);
          break;
        case 'requested':
          plan.caller.requested = true;
          break;
        case 'outcome':
          settle(message.outcome);
          break;
        case 'failed':
          failed(message.error);
      }
    });
    worker.once('error', (error) => failed(describe(error)));
    worker.once('exit', (code) => failed(`it exited with code ${code} before it answered`));
    // After the listeners: adding a 'message' listener refs a worker's port again.
    worker.unref();
  });
}

/**
 * Kept apart so that a CPU profile names it: the bench counts it as "starting the worker thread". `Worker`
 * is read from the module object at each call, as a test that stubs it expects.
 */
function startDeclarationWorker(workerData: WorkerPlan): import('node:worker_threads').Worker {
  return new worker_threads.Worker(workerFile(), { workerData });
}

async function declareInThisThread(plan: DeclarationPlan): Promise<Outcome> {
  return (await import('./declare.js')).declarePromiseFailure(plan);
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = oneLine(String((error as Error | undefined)?.message ?? error));
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

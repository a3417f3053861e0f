import { isMainThread, workerData as threadData, Worker } from 'node:worker_threads';
import type { DeclarationPlan } from './declare.js';
import { isDebugOn } from './environment.js';
import { ErrorCode, oneLine, PromiseFailureError } from './errors.js';
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
 * loses nothing but time, and a debug line says why. Only before the worker said it started: a worker
 * that fails later may hold the claim (under this process's pid), and a second attempt from this thread
 * would wait on it, so that failure is the declaration's outcome (not final: the next call tries again).
 */

/*
 * Never a thread started inside a thread for one declaration. The reporters declare from a worker thread of
 * their own (the reporter kit's `declare-in-worker.ts`, which calls `promiseFailure` there): that thread
 * loads the core and nothing of it touches the runner's thread, not even this front part, which a worker
 * of the core's would need. A thread started with this key set to `true` in its `workerData` is such a
 * thread, and its declarations run in it.
 */
/** The `workerData` key that marks a thread started to declare: the core declares in it, starting no other. */
export const declarationThreadKey = 'promiseFailureDeclarationThread';

function isDeclarationThread(): boolean {
  return !isMainThread && (threadData as Record<string, unknown> | null)?.[declarationThreadKey] === true;
}

/**
 * What the worker is given: the plan without its functions (a thread receives data, not closures), and
 * whether to send debug lines (the caller's thread redacts and writes them, on its own stderr).
 */
export type WorkerPlan = Omit<DeclarationPlan, 'caller' | 'redact' | 'log'> & { debug: boolean };

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
  if (isDeclarationThread()) return declareInThisThread(plan);
  const workerData: WorkerPlan = {
    key: plan.key,
    jobId: plan.jobId,
    exitStatus: plan.exitStatus,
    reason: plan.reason,
    env: { ...plan.env },
    transports: plan.transports,
    deadline: plan.deadline,
    debug: isDebugOn(plan.env),
  };
  let worker: Worker;
  try {
    worker = startDeclarationWorker(workerData);
  } catch (error) {
    plan.log(`no worker thread could be started (${describe(error)}): declaring in this thread`);
    return declareInThisThread(plan);
  }
  return new Promise<Outcome>((resolve) => {
    let started = false;
    let settled = false;
    const settle = (outcome: Outcome | Promise<Outcome>) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const failed = (why: string) => {
      if (settled) return;
      if (!started) {
        plan.log(`the declaration's worker thread did not start (${why}): declaring in this thread`);
        settle(declareInThisThread(plan));
        return;
      }
      const problem = new PromiseFailureError(ErrorCode.Internal, `the declaration's worker thread failed: ${why}`);
      settle(failedOutcome(plan.exitStatus, problem, plan.redact));
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'started':
          started = true;
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

/** Kept apart so that a CPU profile names it: the bench counts it as "starting the worker thread". */
function startDeclarationWorker(workerData: WorkerPlan): Worker {
  return new Worker(workerFile(), { workerData });
}

async function declareInThisThread(plan: DeclarationPlan): Promise<Outcome> {
  return (await import('./declare.js')).declarePromiseFailure(plan);
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = oneLine(String((error as Error | undefined)?.message ?? error));
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

import pMemoize from 'p-memoize';
import { findRecord, logRecorded } from './claim/record.js';
import { now, startTimer } from './clock.js';
import { createDebugLog, type DebugLog } from './debug.js';
import type { Caller, DeclarationPlan } from './declare.js';
import { type Env, isDebugOn, isTurnedOff, readExitStatus, readTimeout, readTransports } from './environment.js';
import { ErrorCode, oneLine, PromiseFailureError } from './errors.js';
import { answeredAtExit } from './exit-grace.js';
import type { Outcome } from './outcome.js';
import { createRedactor, type Redactor } from './redact.js';
import type { PromiseFailureOptions, PromiseFailureResult } from './types.js';
import { validateOptions } from './validate-options.js';

/*
 * Two layers keep "once per job and exit status". In this process, p-memoize coalesces every call for
 * a key onto one declaration and keeps its outcome when it is final (a success, or a refusal that
 * Buildkite would repeat); a transient failure is not kept, so a later call tries again. Across
 * processes (test runner workers, several runners side by side), the declaration itself goes through
 * a file-based claim (claim/claim.ts). The memo is what makes the thousandth failing test cost well under a
 * microsecond; the claim is what makes the thirty-second worker cost one file read.
 */
const settled = new Map<string, Outcome>();
/** Once a key is settled, what every later call gets: one promise of one frozen result, made on first use. */
const settledResults = new Map<string, Promise<PromiseFailureResult>>();
const declareOnce = pMemoize(
  async (plan: DeclarationPlan): Promise<Outcome> =>
    inCallerThread
      ? (await import('./declare.js')).declarePromiseFailure(plan)
      : (await import('./declare-in-worker.js')).declareInWorker(plan),
  {
    cacheKey: ([plan]) => plan.key,
    cache: settled,
    shouldCache: (outcome) => outcome.final,
  },
);

/*
 * Where a declaration runs: in an unref'd worker thread (declare-in-worker.ts says why), unless this
 * process asked for its own thread. The CLI does: it is a process of its own with nothing else to do,
 * so a thread would only add its start-up to the command's time.
 */
let inCallerThread = false;

/** Internal (the CLI's): every later declaration of this process runs in the calling thread. */
export function declareInCallerThread(): void {
  inCallerThread = true;
}

/**
 * Promises Buildkite that the current job will fail with `exitStatus`, once per job and exit status,
 * however many times, in however many processes, it is called.
 *
 * Rejects only for invalid options (a `TypeError` or `RangeError` naming the option; nothing is sent).
 * Every network or Buildkite failure resolves with `accepted: false` and an `error` saying why.
 *
 * @example
 * ```ts
 * const result = await promiseFailure({ exitStatus: 1, reason: 'login › rejects bad password failed' });
 * if (!result.accepted && result.outcome !== 'skipped') console.warn(result.error);
 * ```
 */
export function promiseFailure(options?: PromiseFailureOptions): Promise<PromiseFailureResult> {
  let call: PromiseFailureOptions;
  try {
    call = validateOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  // Only the variables the memo key needs are read before the fast path: each read of process.env
  // costs about a quarter of a microsecond, and the fast path is meant to stay under one.
  const env: Env = call.env ?? process.env;
  const jobId = env.BUILDKITE_JOB_ID;
  if (!jobId) return skip(call.exitStatus ?? 1, ErrorCode.NotInJob, 'not in a Buildkite job (BUILDKITE_JOB_ID is not set)');
  const toggle = env.BUILDKITE_PROMISE_FAILURE;
  if (isTurnedOff(toggle)) return skip(call.exitStatus ?? 1, ErrorCode.TurnedOff, `turned off (BUILDKITE_PROMISE_FAILURE=${toggle})`);
  let exitStatus = call.exitStatus;
  if (exitStatus === undefined) {
    const parsed = readExitStatus(env.BUILDKITE_PROMISE_FAILURE_EXIT_STATUS);
    if (parsed instanceof PromiseFailureError) return skip(1, parsed.code, parsed.message);
    exitStatus = parsed;
  }
  // A signal aborted before the call means the caller no longer wants it: nothing may be sent, since
  // a promise cannot be taken back, and the result says so rather than pretending to share one.
  if (call.signal?.aborted) {
    return skip(exitStatus, ErrorCode.Aborted, 'the signal was aborted before the call: nothing was sent');
  }
  // One job and one exit status: Buildkite's own unit of idempotence, and the memo's key.
  const key = `${exitStatus}\0${jobId}`;
  // Every later caller gets the same settled promise of the same frozen result: nothing is allocated.
  const known = settledResults.get(key);
  if (known !== undefined) return known;
  const outcome = settled.get(key);
  if (outcome !== undefined) {
    const result = Promise.resolve(Object.freeze(resultFor(outcome, undefined)));
    settledResults.set(key, result);
    return result;
  }
  return declareOrJoin(call, env, jobId, exitStatus, key);
}

/** The slow path: the first call for a key, or one while its declaration is in flight. */
async function declareOrJoin(
  call: PromiseFailureOptions,
  env: Env,
  jobId: string,
  exitStatus: number,
  key: string,
): Promise<PromiseFailureResult> {
  let timeout = call.timeout;
  if (timeout === undefined) {
    const parsed = readTimeout(env.BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS);
    if (parsed instanceof PromiseFailureError) return skip(exitStatus, parsed.code, parsed.message);
    timeout = parsed;
  }
  const transports = readTransports(env);
  if (transports instanceof PromiseFailureError) return skip(exitStatus, transports.code, transports.message);
  if (!transports.jobApi && !transports.agentApi) {
    return skip(
      exitStatus,
      ErrorCode.NoTransport,
      'no way to reach Buildkite (neither the Job API socket and token nor BUILDKITE_AGENT_ACCESS_TOKEN is set)',
    );
  }
  // Another process may have recorded the outcome already: then nothing more is read, built or loaded.
  let redact: Redactor | undefined;
  const redactor = () => (redact ??= createRedactor(env));
  const log = createDebugLog(isDebugOn(env), redactor);
  for (const why of transports.unusable ?? []) log(`${why}: that transport is not used`);
  const recorded = findRecord(env, jobId, exitStatus, log);
  if (recorded !== undefined) {
    settled.set(key, logRecorded(recorded, log));
    return resultFor(recorded, undefined);
  }
  const caller: Caller = { requested: false };
  // On the clock no fake timers move (clock.ts): a test's faked `Date.now()` (2099) made this deadline
  // decades away, and the worker thread, on the real clock, gave up on every attempt.
  const deadline = now() + timeout;
  const pending = declareOnce({
    key,
    caller,
    jobId,
    exitStatus,
    // Raw: only the call whose plan runs (the first) redacts and cuts it. A caller that joins a
    // declaration in flight never builds a redactor nor scans its reason (200 joiners with 100 KB
    // reasons used to block the event loop for seconds, for text that was then thrown away).
    reason: call.reason,
    env,
    transports,
    deadline,
    redact: (text) => redactor()(text),
    log,
  });
  watchExit(pending, key, exitStatus, log);
  return waitFor(pending, caller, exitStatus, timeout, call.signal);
}

/*
 * `process.exit()` while a declaration is in flight (a test that calls it, a runner's `--forceExit`)
 * ends it where it is: the request may have reached Buildkite or not, and nothing can wait in an
 * 'exit' listener. What the core can do is say so: with debug on, one line from its 'exit' listener.
 * Reporters, which always print their one line, print theirs from their own 'exit' listener (README,
 * "process.exit() during a declaration").
 */
const inFlight = new Map<Promise<Outcome>, { key: string; exitStatus: number; log: DebugLog }>();
let exitListener: (() => void) | undefined;

function watchExit(pending: Promise<Outcome>, key: string, exitStatus: number, log: DebugLog): void {
  if (inFlight.has(pending)) return;
  inFlight.set(pending, { key, exitStatus, log });
  const settle = () => {
    inFlight.delete(pending);
  };
  pending.then(settle, settle);
  exitListener ??= () => {
    for (const { key, exitStatus: status, log: write } of inFlight.values()) {
      // The worker's answer came in while this thread waited in its 'exit' listener (exit-grace.ts).
      if (answeredAtExit(key)) continue;
      write(`the process is exiting before Buildkite answered: exit status ${status} may not have been promised`);
    }
  };
  if (!process.listeners('exit').includes(exitListener)) process.on('exit', exitListener);
}

/**
 * Each caller waits at most its own `timeout`, or until its `signal`. Its timer is the only thing here
 * that keeps the process alive: the declaration's own timers and sockets never do, so an abandoned one
 * cannot hold a test runner open. It is clock.ts's, not `setTimeout`: fake timers left installed by a
 * test would never fire it.
 */
function waitFor(
  pending: Promise<Outcome>,
  caller: Caller,
  exitStatus: number,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<PromiseFailureResult> {
  const gaveUp = (code: ErrorCode, why: string): PromiseFailureResult => ({
    outcome: caller.requested ? 'declared' : 'debounced',
    accepted: false,
    exitStatus,
    error: why,
    code,
  });
  return new Promise((resolve) => {
    const finish = (result: PromiseFailureResult) => {
      stopTimer();
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => finish(gaveUp(ErrorCode.Aborted, 'stopped waiting: the signal was aborted'));
    const stopTimer = startTimer(
      timeout,
      () => finish(gaveUp(ErrorCode.Timeout, `timed out after ${timeout} ms before Buildkite answered`)),
      {
        keepAlive: true,
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (outcome) => finish(resultFor(outcome, caller)),
      (error: unknown) => finish(gaveUp(ErrorCode.Internal, oneLine(`unexpected error: ${String((error as Error)?.message ?? error)}`))),
    );
  });
}

/**
 * The edge where the one internal outcome becomes a caller's result: `declared` only for the call whose
 * own request went out (every other caller shares it: `debounced`), and nothing but the public fields.
 */
export function resultFor(outcome: Outcome, caller: Caller | undefined): PromiseFailureResult {
  const result: PromiseFailureResult = {
    outcome: caller?.requested ? outcome.outcome : 'debounced',
    accepted: outcome.accepted,
    exitStatus: outcome.exitStatus,
  };
  if (outcome.transport !== undefined) result.transport = outcome.transport;
  if (outcome.upstreamStatus !== undefined) result.upstreamStatus = outcome.upstreamStatus;
  if (outcome.error !== undefined) {
    result.error = outcome.error;
    result.code = outcome.code ?? ErrorCode.Internal;
  }
  if (outcome.warning !== undefined) result.warning = outcome.warning;
  return result;
}

function skip(exitStatus: number, code: ErrorCode, error: string): Promise<PromiseFailureResult> {
  return Promise.resolve({ outcome: 'skipped', accepted: false, exitStatus, error, code });
}

import { createRequire } from 'node:module';
import type { PromiseFailureResult } from '@promise-failure/core';
import { type StopTimer, startTimer } from './clock.js';
import { invalidEnvironmentCode } from './core-rules.js';
import { chargedWait, flushAllowance } from './flush-budget.js';
import { reportInternalError } from './guard.js';
import { firstLine } from './reason.js';

export interface DeclarationRequest {
  readonly reason: string;
  /** `undefined` leaves it to the core: `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1. */
  readonly exitStatus: number | undefined;
  readonly timeout: number | undefined;
}

/** The options passed to the core's `promiseFailure`: only those that are set, and a signal. */
export interface DeclarationCall {
  readonly reason: string;
  readonly exitStatus?: number;
  readonly timeout?: number;
  readonly signal: AbortSignal;
}

export type DeclareFunction = (call: DeclarationCall) => Promise<PromiseFailureResult>;

/** How a declaration ended: the core's result, or what kept it from running (the core failed to load). */
export type SettledDeclaration = { result: PromiseFailureResult } | { error: unknown };

/** A declaration under way, started on a run's first final failure. */
export interface Declaration {
  /** The exit status asked for, if any (the timeout warning names it). */
  readonly exitStatus: number | undefined;
  /** Never rejects. */
  readonly settled: Promise<SettledDeclaration>;
  /** Stop waiting for it: the core drops its timers and sockets (a declaration others share carries on). */
  readonly abandon: () => void;
}

/**
 * Starts the declaration without waiting for it. The core is imported here, on the first final failure,
 * not when the reporter loads: a passing run loads nothing beyond the reporter itself.
 */
export function startDeclaration(request: DeclarationRequest, declare: DeclareFunction = declareWithCore): Declaration {
  const controller = new AbortController();
  const call: DeclarationCall = {
    reason: request.reason,
    signal: controller.signal,
    ...(request.exitStatus === undefined ? {} : { exitStatus: request.exitStatus }),
    ...(request.timeout === undefined ? {} : { timeout: request.timeout }),
  };
  // `Promise.resolve().then` turns a synchronous throw into a settled error too.
  const settled = Promise.resolve()
    .then(() => declare(call))
    .then(
      (result): SettledDeclaration => ({ result }),
      (error: unknown): SettledDeclaration => ({ error }),
    );
  return { exitStatus: request.exitStatus, settled, abandon: () => controller.abort() };
}

/*
 * Where the core runs is the core's to decide (its `promiseFailure` validates, coalesces and reads another
 * process's record on this thread, and starts a worker thread of its own for the claim, the transports and
 * the request, or declares here where no worker can run: docs/claim.md). The kit only loads it, here, at
 * the first final failure: a passing run loads nothing of the core.
 *
 * With `require` (the core's CommonJS build), resolved from this module's location, and synchronously on
 * purpose: an `import()` reads its files through the event loop, which a test that keeps the thread busy
 * (synchronous work right after the failing test) holds for as long as it runs; `require` and the core's
 * own steps up to starting its thread need only the microtasks that run before. What it loads on this
 * thread is the core's front (its `index` and the chunks it needs: no transport, no claim), once per
 * process; a thread of the kit's own, with the core loaded in it, would cost more, for a declaration whose
 * worker the core starts anyway.
 */
function declareWithCore(call: DeclarationCall): Promise<PromiseFailureResult> {
  const core: typeof import('@promise-failure/core') = createRequire(import.meta.url)('@promise-failure/core');
  return core.promiseFailure(call);
}

/**
 * Waits for the declaration at most `flushTimeout` ms, and at most what remains of the process's budget (the
 * waits of every run in one process add up to `flushTimeout` at most: flush-budget.ts), and returns the line to
 * print, or `undefined`. On timeout it abandons the declaration, so nothing the core holds keeps the process
 * alive. The timer keeps the process alive on purpose: an unreferenced one could let Node exit in the middle of
 * the runner's last hook. It is clock.ts's, which fake timers left installed by a test cannot stop.
 */
export async function waitForDeclaration(declaration: Declaration, flushTimeout: number): Promise<string | undefined> {
  let stopTimer: StopTimer | undefined;
  try {
    const settled = await chargedWait(() =>
      Promise.race([
        declaration.settled,
        new Promise<'timed out'>((resolve) => {
          stopTimer = startTimer(flushAllowance(flushTimeout), () => resolve('timed out'), { keepAlive: true });
        }),
      ]),
    );
    if (settled === 'timed out') declaration.abandon();
    return describeDeclaration(settled, { exitStatus: declaration.exitStatus, flushTimeout });
  } catch (error) {
    reportInternalError('finish', error);
    return undefined;
  } finally {
    stopTimer?.();
  }
}

/**
 * The one line printed to stderr at the end of a failing run, the same for every reporter, or
 * `undefined` to stay silent (outside Buildkite, or turned off).
 */
export function describeDeclaration(
  settled: SettledDeclaration | 'timed out',
  { exitStatus, flushTimeout }: { readonly exitStatus: number | undefined; readonly flushTimeout: number },
): string | undefined {
  const asked = exitStatus === undefined ? 'the failure' : `exit status ${exitStatus}`;
  if (settled === 'timed out') {
    return `promise-failure: could not promise ${asked} to Buildkite: timed out after ${flushTimeout} ms (flushTimeout); the run's exit code is unchanged`;
  }
  if ('error' in settled) return `promise-failure: could not promise ${asked} to Buildkite: ${firstLineOf(settled.error)}`;
  const { result } = settled;
  if (result.outcome === 'skipped') {
    // A bad environment value is a mistake in the job's set-up: the core skips, and the user must hear of it.
    // Matched by the result's stable `code`, never by its wording.
    return result.code === invalidEnvironmentCode && result.error !== undefined
      ? `promise-failure: did not promise the failure to Buildkite: ${result.error}`
      : undefined;
  }
  // The core's `warning` (processes on this machine could not share the declaration) must reach the user,
  // not only the debug output: it is appended to the one line.
  const warning = result.warning === undefined ? '' : `; ${result.warning}`;
  if (result.accepted) {
    const how = result.transport ? `${result.outcome} via ${result.transport}` : result.outcome;
    return `promise-failure: promised exit status ${result.exitStatus} to Buildkite (${how})${warning}`;
  }
  const why = result.error ?? (result.upstreamStatus ? `Buildkite answered ${result.upstreamStatus}` : 'not accepted');
  return `promise-failure: could not promise exit status ${result.exitStatus} to Buildkite: ${why}${warning}`;
}

function firstLineOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error)) ?? 'no error message';
}

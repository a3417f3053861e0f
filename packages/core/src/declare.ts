import { ClaimSite, type HeldClaim } from './claim/claim.js';
import { describeFileSystemError } from './claim/file-system-error.js';
import { describeUnsharedDeclaration, openJobDirectory } from './claim/lock-directory.js';
import { logRecorded } from './claim/record.js';
import type { DebugLog } from './debug.js';
import type { Env, Transports } from './environment.js';
import { ErrorCode, PromiseFailureError } from './errors.js';
import { failedOutcome, type Outcome } from './outcome.js';
import { prepareReason, type Redactor } from './redact.js';

/** One caller of `promiseFailure`; `requested` turns true once its own request is on its way. */
export interface Caller {
  requested: boolean;
}

/** Everything one declaration needs, from the call that starts it. */
export interface DeclarationPlan {
  key: string;
  caller: Caller;
  jobId: string;
  exitStatus: number;
  /** As the caller passed it: redacted and cut only when this plan runs. */
  reason: string | undefined;
  env: Env;
  transports: Transports;
  /**
   * The starting call's deadline: the declaration runs to it, whoever stops waiting. Epoch ms on clock.ts's
   * `now()`, which the caller's thread, the declaration's worker thread and other processes share (never the
   * caller's `Date.now()`, which a test may have faked).
   */
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/**
 * Declares once across processes: the claim first (another process may already hold or have recorded
 * this exit status), then the transports, then the record. Where no safe directory can be had, it
 * declares in this process only: a duplicate request is harmless (Buildkite is idempotent for one
 * exit status), a lost declaration is not.
 */
export async function declarePromiseFailure(plan: DeclarationPlan): Promise<Outcome> {
  const opened = openJobDirectory(plan.env, plan.jobId, plan.log);
  let warning: string | undefined;
  let held: HeldClaim | undefined;
  if ('problem' in opened) {
    warning = describeUnsharedDeclaration(opened.problem);
    plan.log(warning);
  } else {
    const site = new ClaimSite(opened.directory, plan.exitStatus, plan.log);
    try {
      // The transports (undici) are not loaded while another process holds the claim: a waiter that
      // loaded them paid for it in garbage collection for seconds after (see bench/RESULTS.md, "Earlier
      // figures the code and docs cite", waiter CPU with the transports loaded), and most waiters never
      // take over. One that does pays for the import then, well within the 2 s a takeover is allowed.
      const claimed = await site.claimExitStatus(plan.deadline);
      switch (claimed.kind) {
        case 'recorded':
          return logRecorded(claimed.outcome, plan.log);
        case 'released':
          return waitedOn(plan, claimed.code ?? ErrorCode.Transient, claimed.error ?? 'another process could not declare');
        case 'timed-out':
          return waitedOn(
            plan,
            ErrorCode.Timeout,
            `timed out waiting for another process${claimed.holderPid ? ` (pid ${claimed.holderPid})` : ''} that is declaring exit status ${plan.exitStatus}`,
          );
        case 'holder':
          held = claimed.claim;
      }
    } catch (error) {
      warning = describeUnsharedDeclaration(
        `lock directory ${opened.lockDirectory} could not be written (${describeFileSystemError(error)})`,
      );
      plan.log(warning);
    }
  }

  plan.caller.requested = true;
  let outcome: Outcome;
  try {
    const { sendDeclaration } = await loadTransportCode();
    outcome = await sendDeclaration({ ...plan, reason: prepareReason(plan.reason, plan.redact) });
  } catch (error) {
    // sendDeclaration resolves for every Buildkite answer; this is a bug or a broken install.
    const problem = new PromiseFailureError(ErrorCode.Internal, String((error as Error)?.message ?? error), { cause: error });
    outcome = failedOutcome(plan.exitStatus, problem, plan.redact);
  }
  if (held) {
    if (outcome.final) held.record(outcome);
    else held.release(outcome.error, outcome.code);
  }
  if (warning !== undefined) outcome.warning = plan.redact(warning);
  return outcome;
}

let transportCode: Promise<typeof import('./transport/send-declaration.js')> | undefined;
function loadTransportCode(): Promise<typeof import('./transport/send-declaration.js')> {
  transportCode ??= import('./transport/send-declaration.js');
  return transportCode;
}

/** Another process's attempt that this one waited on and shares: not accepted, and not final. */
function waitedOn(plan: DeclarationPlan, code: ErrorCode, error: string): Outcome {
  return failedOutcome(plan.exitStatus, new PromiseFailureError(code, error), plan.redact, { outcome: 'debounced', final: false });
}

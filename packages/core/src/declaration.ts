import { ClaimSite, type HeldClaim } from './claim/claim.js';
import { openJobDirectory } from './claim/lock-directory.js';
import { sharedRecord } from './claim/record.js';
import type { DebugLog } from './debug.js';
import type { Env, Transports } from './environment.js';
import { ErrorCode, oneLine } from './errors.js';
import { prepareReason, type Redactor } from './redact.js';
import type { Sent } from './transport/send-declaration.js';
import type { PromiseFailureResult } from './types.js';

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
  /** The starting call's deadline: the declaration runs to it, whoever stops waiting. */
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/** The outcome of one declaration, as shared by every caller. `final` ones are kept in this process and on disk. */
export interface Declaration extends Sent {
  /** The call whose plan ran. Its outcome is this one's; every other caller's is `debounced`. */
  starter: Caller;
  /** Why processes of this job could not share this declaration (the lock directory), for the result's `warning`. */
  warning?: string;
  /** Once settled, what every later caller in this process gets: one promise, made on first use. */
  shared?: Promise<PromiseFailureResult>;
}

/**
 * Declares once across processes: the claim first (another process may already hold or have recorded
 * this exit status), then the transports, then the record. Where no safe directory can be had, it
 * declares in this process only: a duplicate request is harmless (Buildkite is idempotent for one
 * exit status), a lost declaration is not.
 */
export async function runDeclaration(plan: DeclarationPlan): Promise<Declaration> {
  const opened = openJobDirectory(plan.env, plan.jobId, plan.log);
  let warning: string | undefined;
  let held: HeldClaim | undefined;
  if ('problem' in opened) {
    warning = `${opened.problem}: this process declared on its own, not shared with the job's other processes`;
    plan.log(warning);
  } else {
    const site = new ClaimSite(opened.directory, plan.exitStatus, plan.log);
    try {
      // While another process holds the claim, load the transports (undici): if it dies, we take over
      // without paying for the import then.
      const claimed = await site.claim(plan.deadline, () => void loadTransports().catch(() => {}));
      switch (claimed.kind) {
        case 'recorded':
          return sharedRecord(claimed.record, plan.exitStatus, plan.log, plan.caller);
        case 'released':
          return shared(plan, claimed.code ?? ErrorCode.Transient, claimed.error ?? 'another process could not declare');
        case 'timed-out':
          return shared(
            plan,
            ErrorCode.Timeout,
            `timed out waiting for another process${claimed.holderPid ? ` (pid ${claimed.holderPid})` : ''} that is declaring exit status ${plan.exitStatus}`,
          );
        case 'holder':
          held = claimed.claim;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      warning = `the lock directory could not be written (${code}): this process declared on its own, not shared with the job's other processes`;
      plan.log(warning);
    }
  }

  plan.caller.requested = true;
  let sent: Sent;
  try {
    const { sendDeclaration } = await loadTransports();
    sent = await sendDeclaration({ ...plan, reason: prepareReason(plan.reason, plan.redact) });
  } catch (error) {
    // sendDeclaration resolves for every Buildkite answer; this is a bug or a broken install.
    sent = {
      outcome: 'declared',
      accepted: false,
      transport: undefined,
      upstreamStatus: undefined,
      error: plan.redact(oneLine(String((error as Error)?.message ?? error))),
      code: ErrorCode.Internal,
      final: false,
    };
  }
  if (held) {
    if (sent.final) {
      held.record({
        exitStatus: plan.exitStatus,
        accepted: sent.accepted,
        transport: sent.transport,
        upstreamStatus: sent.upstreamStatus,
        error: sent.error,
        code: sent.code,
        recordedAt: new Date().toISOString(),
      });
    } else held.release(sent.error, sent.code);
  }
  const declaration: Declaration = { starter: plan.caller, ...sent };
  if (warning !== undefined) declaration.warning = plan.redact(warning);
  return declaration;
}

let transports: Promise<typeof import('./transport/send-declaration.js')> | undefined;
function loadTransports(): Promise<typeof import('./transport/send-declaration.js')> {
  transports ??= import('./transport/send-declaration.js');
  return transports;
}

/** Another process's attempt that this one waited on and shares: not accepted, and not final. */
function shared(plan: DeclarationPlan, code: ErrorCode, error: string): Declaration {
  return {
    starter: plan.caller,
    outcome: 'debounced',
    accepted: false,
    transport: undefined,
    upstreamStatus: undefined,
    error: plan.redact(oneLine(error)),
    code,
    final: false,
  };
}

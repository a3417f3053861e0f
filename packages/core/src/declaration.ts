import { ClaimSite, type HeldClaim } from './claim.js';
import type { DebugLog } from './debug.js';
import type { Env, Transports } from './environment.js';
import { ErrorCode } from './errors.js';
import { lockRoot, openJobDirectory } from './lock-directory.js';
import { sharedRecord } from './record.js';
import type { Redactor } from './redact.js';
import type { Sent } from './send-declaration.js';
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
  reason: string | undefined;
  env: Env;
  transports: Transports;
  extraHeaders: Record<string, string>;
  lockDirVariable: string | undefined;
  /** The starting call's deadline: the declaration runs to it, whoever stops waiting. */
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/** The outcome of one declaration, as shared by every caller. `final` ones are kept in this process and on disk. */
export interface Declaration extends Sent {
  /** The call whose plan ran. Its outcome is this one's; every other caller's is `debounced`. */
  starter: Caller;
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
  const directory = openJobDirectory(lockRoot(plan.lockDirVariable), Boolean(plan.lockDirVariable), plan.jobId, plan.log);
  let held: HeldClaim | undefined;
  if (directory !== undefined) {
    const site = new ClaimSite(directory, plan.exitStatus, plan.log);
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
      plan.log(`the cross-process claim failed (${(error as Error).message}); declaring in this process only`);
    }
  }

  plan.caller.requested = true;
  let sent: Sent;
  try {
    const { sendDeclaration } = await loadTransports();
    sent = await sendDeclaration(plan);
  } catch (error) {
    // sendDeclaration resolves for every Buildkite answer; this is a bug or a broken install.
    sent = {
      outcome: 'declared',
      accepted: false,
      transport: undefined,
      upstreamStatus: undefined,
      error: plan.redact(String((error as Error)?.message ?? error)),
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
  return { starter: plan.caller, ...sent };
}

let transports: Promise<typeof import('./send-declaration.js')> | undefined;
function loadTransports(): Promise<typeof import('./send-declaration.js')> {
  transports ??= import('./send-declaration.js');
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
    error: plan.redact(error),
    code,
    final: false,
  };
}

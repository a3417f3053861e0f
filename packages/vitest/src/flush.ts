import type { PromiseFailureResult } from '@promise-failure/core';

/** How the declaration started at the first failure ended: the core's result, or what it threw. */
export type SettledDeclaration = { result: PromiseFailureResult } | { error: unknown };

/** Resolves with the declaration, or `undefined` once `flushTimeout` ms have passed without it. */
export async function waitForDeclaration(
  declaration: Promise<SettledDeclaration>,
  flushTimeout: number,
): Promise<SettledDeclaration | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, flushTimeout, undefined);
  });
  try {
    return await Promise.race([declaration, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

// A bad environment value is a mistake in the job's set-up: the core skips, and the user must hear of it.
const badEnvironmentValue = /BUILDKITE_PROMISE_FAILURE_(EXIT_STATUS|TIMEOUT_MS)/;

/**
 * The one line printed to stderr at the end of a failing run, or `undefined` to stay silent (outside
 * Buildkite or turned off).
 */
export function describeDeclaration(
  settled: SettledDeclaration | undefined,
  { exitStatus, flushTimeout }: { exitStatus: number | undefined; flushTimeout: number },
): string | undefined {
  const status = exitStatus ?? 'the failure';
  const promised = typeof status === 'number' ? `exit status ${status}` : status;
  if (settled === undefined) {
    return `promise-failure: warning: timed out after ${flushTimeout} ms (flushTimeout) waiting for Buildkite to accept ${promised}`;
  }
  if ('error' in settled) {
    return `promise-failure: warning: could not promise ${promised} to Buildkite: ${errorMessage(settled.error)}`;
  }
  const { result } = settled;
  if (result.outcome === 'skipped') {
    return result.error && badEnvironmentValue.test(result.error) ? `promise-failure: warning: ${result.error}` : undefined;
  }
  if (result.accepted) {
    const how = result.transport ? `${result.outcome} via ${result.transport}` : result.outcome;
    return `promise-failure: promised exit status ${result.exitStatus} to Buildkite (${how})`;
  }
  const why = result.error ?? (result.upstreamStatus ? `Buildkite answered ${result.upstreamStatus}` : 'not accepted');
  return `promise-failure: warning: exit status ${result.exitStatus} was not promised to Buildkite: ${why}`;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

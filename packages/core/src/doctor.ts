import { statSync } from 'node:fs';
import { defaultEndpoint, type Env, isDebugOn, isTurnedOff, readExitStatus, readTimeout } from './environment.js';
import { describeLockRoot, lockRoot } from './lock-directory.js';
import { createRedactor } from './redact.js';

/**
 * What `promise-failure doctor` prints: what this environment makes possible and why. It sends
 * nothing, writes nothing, and shows whether tokens are set, never what they are.
 */
export function diagnose(env: Env): string[] {
  const redact = createRedactor(env);
  const set = (name: string) => (env[name] ? 'set' : 'not set');
  const lines: string[] = [];
  const jobId = env.BUILDKITE_JOB_ID;
  lines.push(
    `in a Buildkite job: ${jobId ? `yes (BUILDKITE_JOB_ID=${jobId})` : 'no (BUILDKITE_JOB_ID is not set): every call is skipped'}`,
  );
  const toggle = env.BUILDKITE_PROMISE_FAILURE;
  lines.push(`turned off: ${isTurnedOff(toggle) ? `yes (BUILDKITE_PROMISE_FAILURE=${toggle}): every call is skipped` : 'no'}`);
  const exitStatus = readExitStatus(env.BUILDKITE_PROMISE_FAILURE_EXIT_STATUS);
  lines.push(`default exit status: ${typeof exitStatus === 'number' ? exitStatus : `invalid — ${exitStatus.message}`}`);
  const timeout = readTimeout(env.BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS);
  lines.push(`timeout: ${typeof timeout === 'number' ? `${timeout} ms` : `invalid — ${timeout.message}`}`);

  const socket = env.BUILDKITE_AGENT_JOB_API_SOCKET;
  let jobApi: string;
  if (!socket)
    jobApi = 'not usable: BUILDKITE_AGENT_JOB_API_SOCKET is not set (agent before 3.64, --no-job-api, or a container without the socket)';
  else if (!env.BUILDKITE_AGENT_JOB_API_TOKEN) jobApi = 'not usable: BUILDKITE_AGENT_JOB_API_TOKEN is not set';
  else {
    let kind: string;
    try {
      kind = statSync(socket).isSocket() ? 'a socket' : 'not a socket';
    } catch (error) {
      kind = `missing (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    jobApi =
      kind === 'a socket'
        ? `usable (socket ${socket}, token set); agents before 3.130 answer 404 and the Agent API is used instead`
        : `configured but the socket ${socket} is ${kind}: the Agent API will be used`;
  }
  lines.push(`Job API: ${jobApi}`);

  const endpoint = env.BUILDKITE_AGENT_ENDPOINT || defaultEndpoint;
  let endpointNote = '';
  try {
    new URL(endpoint);
  } catch {
    endpointNote = ' — not a valid URL';
  }
  lines.push(
    `Agent API: ${env.BUILDKITE_AGENT_ACCESS_TOKEN ? `usable (endpoint ${endpoint}${endpointNote}, access token set)` : `not usable: BUILDKITE_AGENT_ACCESS_TOKEN is ${set('BUILDKITE_AGENT_ACCESS_TOKEN')}`}`,
  );
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  lines.push(`proxy: ${proxy ? `${proxyHost(proxy)} (NO_PROXY=${env.NO_PROXY ?? env.no_proxy ?? ''})` : 'none'}`);
  const root = lockRoot(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR);
  lines.push(`lock directory: ${root}: ${describeLockRoot(root)}`);
  lines.push(`debug lines: ${isDebugOn(env) ? 'on' : 'off'}`);
  return lines.map(redact);
}

/** A proxy URL may carry credentials: show its host only. */
function proxyHost(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'set (not a valid URL)';
  }
}

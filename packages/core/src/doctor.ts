import { statSync } from 'node:fs';
import { describeLockDirectory } from './claim/lock-directory.js';
import { displayEndpoint, type Env, isDebugOn, isTurnedOff, offWords, readEndpoint, readExitStatus, readTimeout } from './environment.js';
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
  let off = 'no';
  if (isTurnedOff(toggle)) off = `yes (BUILDKITE_PROMISE_FAILURE=${toggle}): every call is skipped`;
  else if (toggle !== undefined && toggle.trim() !== '')
    off = `no (BUILDKITE_PROMISE_FAILURE=${toggle}; only ${offWords.join(', ')} turn it off)`;
  lines.push(`turned off: ${off}`);
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

  // The same reader as a call's: an endpoint a call would refuse is shown as refused here.
  const endpoint = readEndpoint(env.BUILDKITE_AGENT_ENDPOINT);
  let agentApi: string;
  if (typeof endpoint !== 'string') agentApi = `invalid — ${endpoint.message}: every call is skipped`;
  else if (!env.BUILDKITE_AGENT_ACCESS_TOKEN)
    agentApi = `not usable: BUILDKITE_AGENT_ACCESS_TOKEN is ${set('BUILDKITE_AGENT_ACCESS_TOKEN')}`;
  else agentApi = `usable (endpoint ${displayEndpoint(endpoint)}, access token set)`;
  lines.push(`Agent API: ${agentApi}`);
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  lines.push(`proxy: ${proxy ? `${proxyHost(proxy)} (NO_PROXY=${env.NO_PROXY ?? env.no_proxy ?? ''})` : 'none'}`);
  lines.push(`lock directory: ${describeLockDirectory(env)}`);
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

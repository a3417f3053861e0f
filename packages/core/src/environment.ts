import { ErrorCode, PromiseFailureError } from './errors.js';

/** The Agent API's base URL when `BUILDKITE_AGENT_ENDPOINT` is unset. */
export const defaultEndpoint = 'https://agent.buildkite.com/v3';
/** The bound on a call when neither the option nor `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS` sets one. */
export const defaultTimeout = 60_000;

export type Env = Readonly<Record<string, string | undefined>>;

/** The words that turn the library off in `BUILDKITE_PROMISE_FAILURE` (case-insensitive, trimmed). */
export const offWords: readonly string[] = ['false', '0', 'off', 'no'];

/**
 * `BUILDKITE_PROMISE_FAILURE` turns the library off with one of {@link offWords}. Any other value leaves
 * it on: a typo must not silently withdraw a promise somebody wanted (doctor says which words count).
 */
export function isTurnedOff(value: string | undefined): boolean {
  if (value === undefined) return false;
  return offWords.includes(value.trim().toLowerCase());
}

/** The largest delay Node's timers take (2^31−1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const maximumTimeout = 2_147_483_647;

/** Debug lines are on when either variable is `true` (or `1`). */
export function isDebugOn(env: Env): boolean {
  return isTrue(env.BUILDKITE_PROMISE_FAILURE_DEBUG) || isTrue(env.BUILDKITE_AGENT_DEBUG);
}

function isTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const lowered = value.trim().toLowerCase();
  return lowered === 'true' || lowered === '1';
}

/**
 * `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1. A value that is not an integer from 1 to 255 is an
 * error that names the variable: the call is skipped rather than promising a status nobody meant.
 */
export function readExitStatus(value: string | undefined): number | PromiseFailureError {
  if (value === undefined || value.trim() === '') return 1;
  const parsed = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isInteger(parsed) && parsed >= 1 && parsed <= 255) return parsed;
  return new PromiseFailureError(
    ErrorCode.InvalidEnvironment,
    `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS must be an integer from 1 to 255, got ${JSON.stringify(value)}`,
  );
}

/** `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60,000; anything but a positive integer is an error. */
export function readTimeout(value: string | undefined): number | PromiseFailureError {
  if (value === undefined || value.trim() === '') return defaultTimeout;
  const parsed = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(parsed) && parsed > 0 && parsed <= maximumTimeout) return parsed;
  return new PromiseFailureError(
    ErrorCode.InvalidEnvironment,
    `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS must be a positive integer up to ${maximumTimeout} (ms), got ${JSON.stringify(value)}`,
  );
}

/** The ways to reach Buildkite that the job's variables make possible. */
export interface Transports {
  /** The agent's local Job API: needs both its socket and its token. */
  jobApi?: { socket: string; token: string };
  /** The Agent API: needs the job's access token. */
  agentApi?: { endpoint: string; token: string };
  /** Why a configured transport is not used (a token no HTTP header can carry), for a debug line. */
  unusable?: string[];
}

/** What undici (and any HTTP client) refuses in a header value: it would throw on every attempt. */
export const invalidHeaderValue = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * The transports the job's variables configure. `BUILDKITE_AGENT_ENDPOINT` is checked here, at the
 * door, with the other variables: a value that is not an http(s) URL is an error naming it (the call
 * is skipped), never a surprise deep in a retry loop.
 */
export function readTransports(env: Env): Transports | PromiseFailureError {
  const endpoint = readEndpoint(env.BUILDKITE_AGENT_ENDPOINT);
  if (endpoint instanceof PromiseFailureError) return endpoint;
  const transports: Transports = {};
  const unusable: string[] = [];
  // A token that no header can carry would fail every attempt the same way: that transport is not
  // used (the value is never shown: it is a secret).
  const usableToken = (name: string): string | undefined => {
    const token = env[name];
    if (!token) return undefined;
    if (!invalidHeaderValue.test(token)) return token;
    unusable.push(`${name} holds characters an HTTP header cannot carry`);
    return undefined;
  };
  const socket = env.BUILDKITE_AGENT_JOB_API_SOCKET;
  const jobApiToken = socket ? usableToken('BUILDKITE_AGENT_JOB_API_TOKEN') : undefined;
  if (socket && jobApiToken) transports.jobApi = { socket, token: jobApiToken };
  const accessToken = usableToken('BUILDKITE_AGENT_ACCESS_TOKEN');
  if (accessToken) transports.agentApi = { endpoint, token: accessToken };
  if (unusable.length > 0) {
    if (!transports.jobApi && !transports.agentApi) {
      return new PromiseFailureError(ErrorCode.InvalidEnvironment, `${unusable.join('; ')}: no way to reach Buildkite`);
    }
    transports.unusable = unusable;
  }
  return transports;
}

/** `BUILDKITE_AGENT_ENDPOINT`, else the default; an error naming the variable when it is not an http(s) URL. */
export function readEndpoint(value: string | undefined): string | PromiseFailureError {
  if (value === undefined || value.trim() === '') return defaultEndpoint;
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:')) return value.trim();
  return new PromiseFailureError(
    ErrorCode.InvalidEnvironment,
    `BUILDKITE_AGENT_ENDPOINT must be an http(s) URL, got ${JSON.stringify(displayEndpoint(value))}`,
  );
}

/**
 * An endpoint as output shows it: without the user name and password a URL may carry (a proxy's or
 * a gateway's credentials), and without a query. Text that is not a URL is shown only up to any `@`.
 */
export function displayEndpoint(value: string): string {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'https:' || url.protocol === 'http:') return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    // not a URL: shown with anything that looks like credentials hidden
  }
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1[hidden]@');
}

/*
 * undici, one module at a time. `import 'undici'` loads all of it — fetch, WebSocket, caches, mocks —
 * which takes about 120 ms here, paid on the main thread of a test runner at its first failing test.
 * The four modules below are all a declaration needs and take about 45 ms (a proxy needs the rest:
 * see http-dispatcher.ts). undici has no `exports` map,
 * so these paths are reachable; its version is pinned exactly in package.json so that they cannot
 * move under us, and the tests exercise every one of them.
 */
import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import buildConnector from 'undici/lib/core/connect.js';
import agent from 'undici/lib/dispatcher/agent.js';
import pool from 'undici/lib/dispatcher/pool.js';

export type { Dispatcher };
export { agent as Agent, buildConnector, pool as Pool };

/** Where a request goes: the path is sent as it is, never normalised (`%2E%2E` stays a job id, not `..`). */
export interface RequestTarget {
  origin: string;
  path: string;
}

/** undici's `request()`, on an explicit dispatcher. */
export function request(
  target: RequestTarget,
  options: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body: string; dispatcher: Dispatcher; signal: AbortSignal },
): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  return apiRequest.call(dispatcher, { ...rest, origin: target.origin, path: target.path });
}

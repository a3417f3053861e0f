import type { Env } from '../environment.js';
import type { HttpClient } from './http-client.js';
import { nodeHttpClient } from './node-http.js';

/**
 * The client for the Agent API: Node's own HTTP (node-http.ts), unless a proxy variable applies to the
 * endpoint's scheme, and then undici's proxy agent (proxy-http.ts), loaded only then. `HTTPS_PROXY`,
 * `HTTP_PROXY` and `NO_PROXY` (or their lower-case forms) are read from the call's `env`, not from
 * `process.env`, so the `env` option governs them too. A proxy applies as undici applies it: `HTTP_PROXY`
 * to an http endpoint, `HTTPS_PROXY` (else `HTTP_PROXY`) to an https one; `NO_PROXY` is left to undici,
 * which then connects directly to a host it names.
 */
export async function agentApiClient(env: Env, endpoint: string): Promise<HttpClient> {
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy ?? '';
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy ?? '';
  if (!(endpointScheme(endpoint) === 'https:' ? httpsProxy || httpProxy : httpProxy)) return nodeHttpClient;
  const { createProxyClient } = await import('./proxy-http.js');
  return createProxyClient({ httpProxy, httpsProxy, noProxy: env.NO_PROXY ?? env.no_proxy ?? '' });
}

/** The endpoint's scheme; an endpoint that is no URL is refused later, with its variable named (agent-api.ts). */
function endpointScheme(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).protocol;
  } catch {
    return undefined;
  }
}

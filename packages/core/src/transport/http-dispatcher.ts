import type { Socket } from 'node:net';
import type { Env } from '../environment.js';
import { Agent, buildConnector, type Dispatcher, Pool } from './undici.js';

/**
 * A declaration may outlive every caller that waited for it (a reporter gives up after its
 * `flushTimeout`, and the runner must then exit at once). undici refs a socket while it has a request
 * in flight, so an abandoned request would hold the process open. Each socket is therefore unref'd
 * for good as it is made: the callers' own wait timers are what keep the process alive, exactly as
 * long as someone waits.
 */
function unrefSockets(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (socket) {
        const held = socket as Socket;
        held.unref();
        held.ref = () => held;
      }
      (callback as (error: Error | null, socket: unknown) => void)(error, socket);
    });
}

function toConnector(connect: unknown, extra: buildConnector.BuildOptions = {}): buildConnector.connector {
  if (typeof connect === 'function') return connect as buildConnector.connector;
  return buildConnector({ ...extra, ...(connect as buildConnector.BuildOptions | undefined) });
}

const factory = (origin: string | URL, options: object) => {
  const { connect } = options as { connect?: unknown };
  return new Pool(origin, { ...options, connect: unrefSockets(toConnector(connect)) });
};

/** The dispatcher for the agent's Job API: HTTP over its Unix socket. */
export function createJobApiDispatcher(socketPath: string): Dispatcher {
  return new Agent({ connect: { socketPath }, factory });
}

/**
 * The dispatcher for the Agent API. `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lower-case
 * forms) are read from the call's `env`, not from `process.env`, so the `env` option governs them too.
 * Only with a proxy is the whole of undici loaded: its proxy agents tunnel with the `connect()` method
 * that undici's entry point adds to every dispatcher.
 */
export async function createAgentApiDispatcher(env: Env): Promise<Dispatcher> {
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy ?? '';
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy ?? '';
  if (!httpProxy && !httpsProxy) return new Agent({ factory });
  const { EnvHttpProxyAgent } = await import('undici');
  return new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy,
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
    factory,
    clientFactory: factory,
  } as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
}

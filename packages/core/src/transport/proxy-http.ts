import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { buildConnector, Dispatcher } from 'undici';
import { type HttpAnswer, type HttpClient, type HttpRequest, InvalidRequestError } from './http-client.js';
import { readBodyStart } from './read-body.js';

/** The proxy variables, read from the call's `env` (send-declaration.ts), never from `process.env`. */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/**
 * The proxy path: undici's `EnvHttpProxyAgent` (CONNECT tunnels for https, absolute-form requests for
 * http, `NO_PROXY` honoured), which Node's own HTTP has no equivalent of. Only here is undici loaded,
 * whole: its proxy agents tunnel with the `connect()` method that undici's entry point adds to every
 * dispatcher. Each socket is unref'd for good as it is made, as on the direct path (node-http.ts).
 */
export async function createProxyClient(settings: ProxySettings): Promise<HttpClient> {
  const { EnvHttpProxyAgent, Pool, buildConnector } = await import('undici');

  const unrefSockets =
    (connect: buildConnector.connector): buildConnector.connector =>
    (options, callback) =>
      connect(options, (error, socket) => {
        if (socket) {
          const held = socket as Socket;
          held.unref();
          held.ref = () => held;
        }
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      });
  const toConnector = (connect: unknown): buildConnector.connector =>
    typeof connect === 'function'
      ? (connect as buildConnector.connector)
      : buildConnector({ ...(connect as buildConnector.BuildOptions | undefined) });
  const factory = (origin: string | URL, options: object) => {
    const { connect } = options as { connect?: unknown };
    return new Pool(origin, { ...options, connect: unrefSockets(toConnector(connect)) });
  };
  // `httpProxy: ''` (not undefined) keeps undici from reading `process.env` itself.
  const dispatcher: Dispatcher = new EnvHttpProxyAgent({ ...settings, factory, clientFactory: factory } as ConstructorParameters<
    typeof EnvHttpProxyAgent
  >[0]);

  return {
    async send(request: HttpRequest): Promise<HttpAnswer> {
      let response: Dispatcher.ResponseData;
      try {
        // `origin` and `path` apart: undici sends the path as it is (a URL would be normalised).
        response = await dispatcher.request({
          origin: request.origin,
          path: request.path,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: request.signal,
        });
      } catch (cause) {
        // undici's refusal of an argument (a header it cannot send): the same on every attempt.
        if ((cause as { code?: unknown } | null)?.code === 'UND_ERR_INVALID_ARG') throw new InvalidRequestError(cause);
        throw cause;
      }
      const bodyStart = await readBodyStart(response.body as unknown as Readable, request.maxBodyBytes(response.statusCode));
      if (request.signal.aborted) throw request.signal.reason;
      return { status: response.statusCode, headers: response.headers, bodyStart };
    },
    close() {
      void dispatcher.close().catch(() => {});
    },
  };
}

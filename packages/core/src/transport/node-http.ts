import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import { type HttpAnswer, type HttpClient, type HttpRequest, InvalidRequestError } from './http-client.js';
import { readBodyStart } from './read-body.js';

/**
 * The direct path: Node's own `node:http` (and `node:https` for an https endpoint, loaded only then:
 * TLS costs a few ms to load). Its parser is native, so a first request loads and compiles nothing,
 * where undici's took tens of ms of CPU (bench/RESULTS.md, "Cold declaration against one bare PUT").
 */
export const nodeHttpClient: HttpClient = {
  send: sendWithNodeHttp,
  close() {},
};

async function sendWithNodeHttp(request: HttpRequest): Promise<HttpAnswer> {
  const origin = new URL(request.origin);
  const { request: open } = origin.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const options: RequestOptions = {
    method: request.method,
    // Sent verbatim: Node checks it for characters no request line can carry, and changes nothing.
    path: request.path,
    headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
    // A connection of its own, closed after the answer (`Connection: close`): no pool, no keep-alive.
    agent: false,
    signal: request.signal,
    ...(request.socketPath === undefined
      ? // `[::1]` is a URL's spelling of an IPv6 host; the socket wants it bare (the Host header gets the brackets back).
        { hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'), port: origin.port || undefined }
      : { socketPath: request.socketPath, hostname: origin.hostname }),
  };
  return new Promise<HttpAnswer>((resolve, reject) => {
    let sent: ClientRequest;
    try {
      sent = open(options);
    } catch (cause) {
      // Node validates the headers and the path as it builds the request, before any connection.
      reject(new InvalidRequestError(cause));
      return;
    }
    sent.on('socket', unrefForGood);
    sent.on('error', reject);
    sent.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      readBodyStart(response, request.maxBodyBytes(status)).then((bodyStart) => {
        // An abort while the body was read cuts it short: that is no answer.
        if (request.signal.aborted) reject(request.signal.reason);
        else resolve({ status, headers: response.headers, bodyStart });
      }, reject);
    });
    sent.end(request.body);
  });
}

/**
 * Node refs a client socket while its request is in flight, so an abandoned request would hold the
 * process open. The socket is unref'd as it is made, and `ref` made a no-op so that nothing refs it
 * again (the same rule as the proxy path's, proxy-http.ts).
 */
function unrefForGood(socket: Socket): void {
  socket.unref();
  socket.ref = () => socket;
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from './http-client.js';
import { nodeHttpClient } from './node-http.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real server that records each request's line and headers and answers `status` with `body`. */
async function serve(status: number, body: string) {
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers });
    request.resume();
    response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '3' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const send = (origin: string, overrides: Partial<Parameters<typeof nodeHttpClient.send>[0]> = {}) =>
  nodeHttpClient.send({
    origin,
    path: '/v3/jobs/%2E%2E/promise_failure',
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"exit_status":1}',
    signal: AbortSignal.timeout(10_000),
    maxBodyBytes: () => 16 * 1_024,
    ...overrides,
  });

describe('nodeHttpClient', () => {
  it('sends the path exactly as built, on a connection of its own (no keep-alive)', async () => {
    const server = await serve(204, '');
    await send(server.origin);
    await send(server.origin, { path: '/v3/jobs/./../x/promise_failure' });
    expect(server.seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'PUT /v3/jobs/%2E%2E/promise_failure',
      'PUT /v3/jobs/./../x/promise_failure',
    ]);
    expect(server.seen[0]?.headers.connection).toBe('close');
    expect(server.seen[0]?.headers['content-length']).toBe('17');
  });

  it('gives the status, the headers and the start of the body, as far as asked', async () => {
    const server = await serve(429, '{"message":"slow down"}');
    expect(await send(server.origin)).toEqual({
      status: 429,
      headers: expect.objectContaining({ 'retry-after': '3' }),
      bodyStart: '{"message":"slow down"}',
    });
    expect((await send(server.origin, { maxBodyBytes: () => 0 })).bodyStart).toBe('');
  });

  it('refuses a header no request can carry with an InvalidRequestError, and sends nothing', async () => {
    const server = await serve(204, '');
    const refused = send(server.origin, { headers: { 'buildkite-bad': 'a\u0001b' } });
    await expect(refused).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(refused).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(server.seen).toEqual([]);
  });
});

import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { fakeBuildkite, jobEnv } from './support.js';

/** A real forward proxy (CONNECT tunnels and absolute-form requests) that records what went through it. */
async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const target = new URL(request.url as string);
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${request.method} ${target.pathname}${target.search} HTTP/1.1\r\n`);
      for (let index = 0; index < request.rawHeaders.length; index += 2) {
        upstream.write(`${request.rawHeaders[index]}: ${request.rawHeaders[index + 1]}\r\n`);
      }
      upstream.write('connection: close\r\n\r\n');
      request.pipe(upstream);
      upstream.pipe(response.socket as NodeJS.WritableStream);
    });
  });
  server.on('connect', (request, socket, head) => {
    seen.push(`CONNECT ${request.url}`);
    const [host, port] = (request.url as string).split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('proxies (guarantee 7)', () => {
  it('sends Agent API requests through HTTP_PROXY', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const proxy = await startProxy();
    try {
      const result = await promiseFailure({ env: jobEnv(fake, { HTTP_PROXY: proxy.url }) });
      expect(result).toMatchObject({ accepted: true, transport: 'agent-api' });
      expect(proxy.seen).toHaveLength(1);
      expect(proxy.seen[0]).toContain(new URL(fake.endpoint).host);
      expect(fake.agentApiRequests()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('honours lower-case http_proxy', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const proxy = await startProxy();
    try {
      expect((await promiseFailure({ env: jobEnv(fake, { http_proxy: proxy.url }) })).accepted).toBe(true);
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const proxy = await startProxy();
    try {
      const result = await promiseFailure({ env: jobEnv(fake, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }) });
      expect(result.accepted).toBe(true);
      expect(proxy.seen).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('never sends Job API requests through the proxy', async () => {
    const fake = await fakeBuildkite();
    const proxy = await startProxy();
    try {
      expect(await promiseFailure({ env: jobEnv(fake, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }) })).toMatchObject({
        transport: 'job-api',
        accepted: true,
      });
      expect(proxy.seen).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that is down is a transient failure, retried within the timeout', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await promiseFailure({ env: jobEnv(fake, { HTTP_PROXY: 'http://127.0.0.1:9' }), timeout: 1_000 });
    expect(result).toMatchObject({ accepted: false });
    expect(fake.agentApiRequests()).toHaveLength(0);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { cliPath, fakeBuildkite, jobEnv, startNode, temporaryDirectory } from './support.js';

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

describe('undici, only behind a proxy', () => {
  /** Runs the CLI (it declares on its own thread) in `env`; returns the undici files it loaded. */
  async function undiciLoadedByCli(env: Record<string, string>): Promise<string[]> {
    const log = join(temporaryDirectory(), 'loads.log');
    writeFileSync(log, '');
    const recorder = join(import.meta.dirname, 'fixtures', 'record-thread-loads.cjs');
    const { code, stderr } = await startNode(['--require', recorder, cliPath], { ...env, PF_THREAD_LOADS: log }).done;
    expect(code, stderr).toBe(0);
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => /[\\/]undici[\\/]/.test(line));
  }

  it('a proxy that applies to the endpoint loads undici, and the request goes through the proxy', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const proxy = await startProxy();
    try {
      expect(await undiciLoadedByCli(jobEnv(fake, { HTTP_PROXY: proxy.url }))).not.toEqual([]);
      expect(proxy.seen).toHaveLength(1);
      expect(fake.agentApiRequests()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('HTTPS_PROXY alone does not apply to an http endpoint: Node’s own HTTP, direct, undici never loaded', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const proxy = await startProxy();
    try {
      expect(await undiciLoadedByCli(jobEnv(fake, { HTTPS_PROXY: proxy.url }))).toEqual([]);
      expect(proxy.seen).toHaveLength(0);
      expect(fake.agentApiRequests()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FakeBuildkite } from '@promise-failure/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { fakeBuildkite, jobEnv, startNode } from './support.js';

/*
 * The direct path on Node's own HTTP (src/transport/node-http.ts): the Job API over its Unix socket and
 * the Agent API without a proxy. What undici gave before, it must give too: sockets that never hold
 * the process open, bodies read only as far as they matter, TLS errors on one line.
 */
const packageRoot = join(import.meta.dirname, '..');
/** Node's flag for its permission model: `--permission` from Node 22.13, `--experimental-permission` before. */
const permissionFlag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe("an abandoned declaration on the caller's thread never keeps the process alive", () => {
  /*
   * A permission model that forbids threads makes the declaration run on the caller's thread, where
   * its socket is the process's own: a ref'd one would hold the process until the request ends, here
   * never (the fake hangs, the declaration's own timeout is 10 minutes). The caller stops waiting on
   * SIGUSR2; the process must then end by itself.
   */
  async function abandon(fake: FakeBuildkite, requestMade: () => Promise<unknown>) {
    const source = `
      const controller = new AbortController();
      process.on('SIGUSR2', () => controller.abort());
      import('@promise-failure/core')
        .then(({ promiseFailure }) => promiseFailure({ signal: controller.signal, timeout: 600_000 }))
        .then((result) => process.stdout.write(JSON.stringify(result)));`;
    const child = startNode([permissionFlag, '--allow-fs-read=*', '--allow-fs-write=*', '--no-warnings', '-e', source], jobEnv(fake), {
      cwd: packageRoot,
    });
    await requestMade();
    child.kill('SIGUSR2');
    const { code, stdout, stderr } = await child.done;
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout);
  }

  it('its Agent API request hanging', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const result = await abandon(fake, () => fake.waitForAgentRequests(1, { timeout: 30_000 }));
    expect(result).toMatchObject({ outcome: 'declared', accepted: false, code: 'PROMISE_FAILURE_ABORTED' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  }, 60_000);

  it('its Job API request hanging on the agent’s Unix socket', async () => {
    const fake = await fakeBuildkite();
    fake.faultJobApi({ hang: true });
    fake.fault({ hang: true });
    const result = await abandon(fake, () => vi.waitUntil(() => fake.jobApiRequests().length === 1, { timeout: 30_000, interval: 20 }));
    expect(result).toMatchObject({ accepted: false, code: 'PROMISE_FAILURE_ABORTED' });
    expect(fake.jobApiRequests()).toHaveLength(1);
  }, 60_000);
});

describe('bodies on the direct path', () => {
  it('an error page far larger than its bound is read only to it: the connection is closed before the server is done', async () => {
    const total = 64 * 1_024 * 1_024;
    const chunk = Buffer.alloc(64 * 1_024, 'x');
    let written = 0;
    let requests = 0;
    const server = createHttpServer((request, response) => {
      requests += 1;
      request.resume();
      if (requests > 1) {
        response.writeHead(204).end();
        return;
      }
      response.writeHead(503, { 'content-type': 'text/html', 'content-length': String(total) });
      const write = () => {
        while (!response.destroyed && written < total) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', write);
        }
        if (written >= total) response.end();
      };
      write();
    });
    const port = await listen(server);
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await promiseFailure({
      env: jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: `http://127.0.0.1:${port}/v3` }),
      timeout: 30_000,
    });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api', upstreamStatus: 204 });
    expect(requests).toBe(2);
    // What the socket's buffers took before the client hung up: never the whole page.
    expect(written).toBeLessThan(total);
  }, 60_000);
});

describe('TLS errors', () => {
  it('an expired certificate is one line naming OpenSSL’s code; nothing reaches the server', async () => {
    // A self-signed certificate for 127.0.0.1, valid only in the year 2000 (fixtures/expired-tls).
    const fixtures = join(import.meta.dirname, 'fixtures', 'expired-tls');
    let requests = 0;
    const server = createHttpsServer(
      { key: readFileSync(join(fixtures, 'key.pem')), cert: readFileSync(join(fixtures, 'cert.pem')) },
      (_request, response) => {
        requests += 1;
        response.writeHead(204).end();
      },
    );
    const port = await listen(server as unknown as Server);
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await promiseFailure({
      env: jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: `https://127.0.0.1:${port}/v3` }),
      timeout: 1_500,
    });
    expect(result).toMatchObject({ outcome: 'declared', accepted: false });
    expect(result.error).toMatch(/network error \(CERT_HAS_EXPIRED: certificate has expired\)/);
    expect(result.error).not.toMatch(/[\r\n]/);
    expect(requests).toBe(0);
  });
});

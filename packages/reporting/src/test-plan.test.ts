import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { readMutedTests } from './test-plan.js';

/*
 * The plan read against a real HTTP server on loopback (the testkit serves Test Engine's own route; these are the
 * answers it never gives: bodies bktec could not decode, error plans, a server that never answers).
 */
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server answering every request with `status` and `body` (or never, with `hang`); its plan URL, unique per test. */
async function serve(status: number, body: string, hang = false): Promise<string> {
  server = createServer((_request, response) => {
    if (!hang) response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/v2/analytics/organizations/o/suites/s/test_plan?identifier=${Math.random()}&job_retry_count=0`;
}

describe('readMutedTests', () => {
  test("the plan's muted tests, keyed scope/name as bktec keys them (a missing scope is empty)", async () => {
    const url = await serve(
      200,
      JSON.stringify({ tasks: { 0: { tests: [] } }, muted_tests: [{ scope: 'a b', name: 'c' }, { name: 'd' }] }),
    );
    expect(await readMutedTests({ url, token: 't' }, 5_000)).toEqual({ ok: true, identifiers: new Set(['a b/c', '/d']) });
  });

  test('an error plan (no tasks): bktec falls back to its own plan, which mutes nothing', async () => {
    const url = await serve(200, JSON.stringify({ tasks: {}, muted_tests: [{ scope: 'a', name: 'b' }] }));
    expect(await readMutedTests({ url, token: 't' }, 5_000)).toEqual({ ok: true, identifiers: new Set() });
  });

  test.each([
    ['an error status', 403, '{"message":"Forbidden"}', /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/.+: 403 Forbidden$/],
    ['a body that is not JSON', 200, '<html>', /the test plan is not JSON/],
    ['muted_tests that is not a list', 200, '{"tasks":{"0":{}},"muted_tests":{}}', /"muted_tests" is not a list/],
    ['a muted test whose name is not a string', 200, '{"tasks":{"0":{}},"muted_tests":[{"name":1}]}', /scope or name is not a string/],
  ])('%s: not ok, with the problem', async (_name, status, body, problem) => {
    const url = await serve(status, body);
    expect(await readMutedTests({ url, token: 'secret-token' }, 5_000)).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });

  test('a server that never answers: not ok once the timeout has passed', async () => {
    const url = await serve(200, '', true);
    const read = await readMutedTests({ url, token: 't' }, 200);
    expect(read).toEqual({ ok: false, problem: expect.stringMatching(/no answer within 200 ms/) });
  });

  test('read once per process, whoever asks', async () => {
    const url = await serve(200, JSON.stringify({ tasks: { 0: {} }, muted_tests: [] }));
    let requests = 0;
    server?.on('request', () => {
      requests += 1;
    });
    const [first, second] = await Promise.all([readMutedTests({ url, token: 't' }, 5_000), readMutedTests({ url, token: 't' }, 5_000)]);
    expect(first).toBe(second);
    await readMutedTests({ url, token: 't' }, 5_000);
    expect(requests).toBe(1);
  });
});

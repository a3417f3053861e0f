import { describe, expect, it } from 'vitest';
import { FaultQueue } from './faults.js';
import { callJobApi, putPromiseFailure, settle, startEach } from './test-helpers.js';
import type { Fault } from './types.js';

const start = startEach({ jobApi: 'none' });

describe('Agent API faults', () => {
  it('answers a status with a JSON message and a Retry-After header, then behaves normally', async () => {
    const fake = await start();
    fake.fault({ status: 429, retryAfter: 3 });
    const limited = await putPromiseFailure(fake, { exit_status: 1 });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json).toEqual({ message: expect.stringContaining('429') });
    expect(fake.promisedExitStatus()).toBeUndefined();

    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(204);
    expect(fake.agentApiRequests().map((request) => request.status)).toEqual([429, 204]);
  });

  it('passes a Retry-After date through as given', async () => {
    const fake = await start();
    const date = new Date(Date.now() + 5_000).toUTCString();
    fake.fault({ status: 503, retryAfter: date });
    expect((await putPromiseFailure(fake, { exit_status: 1 })).headers['retry-after']).toBe(date);
  });

  it("answers a proxy's HTML page for body: 'html'", async () => {
    const fake = await start();
    fake.fault({ status: 502, body: 'html' });
    const answer = await putPromiseFailure(fake, { exit_status: 1 });
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toBe('text/html');
    expect(answer.text).toContain('<h1>502 Bad Gateway</h1>');
    expect(answer.json).toBeUndefined();
  });

  it('answers any other body string raw', async () => {
    const fake = await start();
    fake.fault({ status: 500, body: 'upstream exploded' }, { status: 409, body: '{"message":"taken"}' });
    const raw = await putPromiseFailure(fake, { exit_status: 1 });
    expect(raw).toMatchObject({ status: 500, text: 'upstream exploded' });
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    const json = await putPromiseFailure(fake, { exit_status: 1 });
    expect(json).toMatchObject({ status: 409, json: { message: 'taken' } });
    expect(json.headers['content-type']).toBe('application/json');
  });

  it('applies before authentication', async () => {
    const fake = await start();
    fake.fault({ status: 503 });
    expect((await putPromiseFailure(fake, { exit_status: 1 }, { token: null })).status).toBe(503);
  });

  it('applies each fault `times` times, in the order queued', async () => {
    const fake = await start();
    fake.fault({ status: 500, times: 2 }, { status: 429 });
    fake.fault({ status: 502 });
    const statuses: number[] = [];
    for (let call = 0; call < 5; call += 1) statuses.push((await putPromiseFailure(fake, { exit_status: 1 })).status);
    expect(statuses).toEqual([500, 500, 429, 502, 204]);
  });

  it('only applies to promise_failure requests', async () => {
    const fake = await start();
    fake.fault({ status: 500 });
    expect((await fetch(`${fake.endpoint}/ping`)).status).toBe(404);
    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(500);
  });

  it('resets the connection without answering, and records no status', async () => {
    const fake = await start();
    fake.fault({ reset: true });
    await expect(putPromiseFailure(fake, { exit_status: 1 })).rejects.toThrow(TypeError);
    const [reset] = fake.agentApiRequests();
    expect(reset).toMatchObject({ body: { exit_status: 1 } });
    expect(reset?.status).toBeUndefined();
    expect(fake.promisedExitStatus()).toBeUndefined();
    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(204);
  });

  it('delays, then answers normally', async () => {
    const fake = await start();
    fake.fault({ delay: 200 });
    const started = performance.now();
    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(204);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(fake.promisedExitStatus()).toBe(1);
  });

  it('hangs until close(), which still finishes at once', async () => {
    const fake = await start();
    fake.fault({ hang: true });
    const hanging = settle(putPromiseFailure(fake, { exit_status: 1 }));
    const [request] = await fake.waitForAgentRequests(1);
    expect(request?.status).toBeUndefined();
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await hanging).toBeInstanceOf(Error);
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it('ends a pending delay on close()', async () => {
    const fake = await start();
    fake.fault({ delay: 60_000 });
    const delayed = settle(putPromiseFailure(fake, { exit_status: 1 }));
    await fake.waitForAgentRequests(1);
    await fake.close();
    expect(await delayed).toBeInstanceOf(Error);
  });
});

describe('Job API faults', () => {
  it('answer the promise-failure route as given, with {"error"} JSON, instead of coordinating', async () => {
    const fake = await start({ jobApi: 'current' });
    fake.faultJobApi({ status: 500 }, { reset: true }, { status: 200, body: '{"outcome":"declared","accepted":false}' });
    const failed = await callJobApi(fake, { exit_status: 1 });
    expect(failed).toMatchObject({ status: 500, json: { error: expect.stringContaining('500') } });
    await expect(callJobApi(fake, { exit_status: 1 })).rejects.toThrow();
    expect(await callJobApi(fake, { exit_status: 1 })).toMatchObject({
      status: 200,
      json: { outcome: 'declared', accepted: false },
    });
    expect(fake.agentApiRequests()).toEqual([]);

    expect((await callJobApi(fake, { exit_status: 1 })).json).toMatchObject({ outcome: 'declared', accepted: true });
    expect(fake.jobApiRequests().map((request) => request.status)).toEqual([500, undefined, 200, 200]);
  });

  it('hang until close()', async () => {
    const fake = await start({ jobApi: 'current' });
    fake.faultJobApi({ hang: true });
    const hanging = settle(callJobApi(fake, { exit_status: 1 }));
    await expect.poll(() => fake.jobApiRequests().length).toBe(1);
    await fake.close();
    expect(await hanging).toBeInstanceOf(Error);
  });
});

describe('fault validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['no kind', {}, /exactly one of/],
    ['two kinds', { status: 500, reset: true }, /got status, reset/],
    ['a status out of range', { status: 99 }, /`faults\[0\]\.status`/],
    ['a fractional times', { status: 500, times: 1.5 }, /`faults\[0\]\.times`/],
    ['a negative delay', { delay: -1 }, /`faults\[0\]\.delay`/],
    ['reset: false', { reset: false }, /`faults\[0\]\.reset`/],
  ])('rejects %s, naming it', (_name, fault, message) => {
    expect(() => new FaultQueue().add([fault as Fault])).toThrow(message);
  });
});

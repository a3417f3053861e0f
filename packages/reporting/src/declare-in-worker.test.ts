import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeBuildkite, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { declareInWorker } from './declare-in-worker.js';

// A real worker thread running the real core (its built dist) against a real fake Buildkite. The worker
// copies this thread's environment as it starts, so the job's variables are set here first.
let fake: FakeBuildkite;
let locks: string;

beforeEach(async () => {
  fake = await startFakeBuildkite();
  locks = await mkdtemp(join(tmpdir(), 'promise-failure-worker-test-'));
  for (const [name, value] of Object.entries(fake.env)) vi.stubEnv(name, value);
  vi.stubEnv('BUILDKITE_PROMISE_FAILURE_LOCK_DIR', locks);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await rm(locks, { recursive: true, force: true });
});

test('declares in another thread and answers with the core result', async () => {
  const declared = declareInWorker({
    reason: 'login › rejects a bad password failed',
    exitStatus: 3,
    signal: new AbortController().signal,
  });
  expect(declared).toBeDefined();
  const result = await declared;
  expect(result).toMatchObject({ outcome: 'declared', accepted: true, exitStatus: 3, transport: 'job-api' });
  expect(fake.agentApiRequests().map((request) => request.body)).toEqual([
    { exit_status: 3, reason: 'login › rejects a bad password failed' },
  ]);
});

test('an aborted signal abandons the declaration in the worker: it answers at once, not accepted', async () => {
  fake.fault({ hang: true });
  const controller = new AbortController();
  const declared = declareInWorker({ reason: 'hangs', signal: controller.signal, timeout: 60_000 });
  await fake.waitForAgentRequests(1, { timeout: 30_000 });
  controller.abort();
  const result = await declared;
  expect(result).toMatchObject({ accepted: false, error: expect.stringContaining('stopped waiting') });
});

test('a core that rejects (an invalid option) rejects with its message', async () => {
  await expect(declareInWorker({ reason: 'x', exitStatus: 0, signal: new AbortController().signal })).rejects.toThrow(/exitStatus/);
  expect(fake.requests).toEqual([]);
});

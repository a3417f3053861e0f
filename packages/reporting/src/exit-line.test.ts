import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type FakeBuildkite, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startDeclaration } from './declaration.js';
import { createExitLineState, describeExitBeforeAnswer, type OwedLineRequest, oweLineAtExit, takeExitLine } from './exit-line.js';

/*
 * What a process says at exit when it exits before a run's `finish()`. The answers are real: declarations
 * through the core against the testkit's fake Buildkite, each test a job with its own lock directory. The
 * `exit` listener itself, and `process.exit()` in a real runner, are tested end to end (test/jest/process-exit,
 * test/mocha/process-exit).
 */
let fake: FakeBuildkite;
let lockDir: string;
// The job's variables, where the core reads them (the kit passes the process's own).
const env = process.env;

beforeEach(async () => {
  fake = await startFakeBuildkite({ jobApi: 'none' });
  lockDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-exit-line-'));
  for (const [name, value] of Object.entries(fake.env)) vi.stubEnv(name, value);
  vi.stubEnv('BUILDKITE_PROMISE_FAILURE_LOCK_DIR', lockDir);
  for (const name of ['BUILDKITE_PROMISE_FAILURE', 'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', 'BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS']) {
    vi.stubEnv(name, undefined as unknown as string);
  }
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await rm(lockDir, { recursive: true, force: true });
});

const owing = (): OwedLineRequest => ({ exitStatus: undefined, flushTimeout: 10_000, env, promising: true });
const mayNot = describeExitBeforeAnswer(undefined);

/** A real declaration, in this thread, of the fake's job; resolves once it ended. */
async function declare(exitStatus?: number) {
  const declaration = startDeclaration({ reason: 'x: t failed', exitStatus, timeout: 5_000 });
  return declaration.settled;
}

describe('the exit line', () => {
  test('nothing owed, nothing said; a run that paid owes nothing', async () => {
    const state = createExitLineState();
    expect(takeExitLine(state)).toBeUndefined();
    oweLineAtExit(owing(), state).paid();
    expect(takeExitLine(state)).toBeUndefined();
  });

  test('no answer anywhere: the failure may not have been promised, once; outside a job, nothing', () => {
    const state = createExitLineState();
    oweLineAtExit(owing(), state);
    oweLineAtExit(owing(), state);
    expect(takeExitLine(state)).toBe(mayNot);
    expect(takeExitLine(state)).toBeUndefined();
    const outside = createExitLineState();
    oweLineAtExit({ ...owing(), promising: false }, outside);
    expect(takeExitLine(outside)).toBeUndefined();
  });

  test("another run of the process had the answer (and paid): the owing run's line is that answer", async () => {
    // In-process: the record is not what answers (its line would say `debounced`).
    const state = createExitLineState();
    const first = oweLineAtExit(owing(), state);
    first.answer(await declare());
    first.paid();
    oweLineAtExit(owing(), state);
    expect(takeExitLine(state)).toBe('promise-failure: promised exit status 1 to Buildkite (declared via agent-api)');
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  test('the answer was recorded by another declaration: read from the lock directory, as debounced', async () => {
    await declare();
    const state = createExitLineState();
    oweLineAtExit(owing(), state);
    expect(takeExitLine(state)).toBe('promise-failure: promised exit status 1 to Buildkite (debounced via agent-api)');
    // Another exit status has no record.
    const other = createExitLineState();
    oweLineAtExit({ ...owing(), exitStatus: 2 }, other);
    expect(takeExitLine(other)).toBe(describeExitBeforeAnswer(2));
  });

  test('the owing run had its own answer, a failure that nothing records: that is its line', async () => {
    fake.fault({ status: 503, times: 100 });
    const state = createExitLineState();
    const owed = oweLineAtExit(owing(), state);
    const settled = await startDeclaration({ reason: 'x: t failed', exitStatus: undefined, timeout: 1_000 }).settled;
    owed.answer(settled);
    expect(takeExitLine(state)).toMatch(/^promise-failure: could not promise exit status 1 to Buildkite: /);
  });
});

describe("the process's exit line", () => {
  test('is one for every copy of the kit in the process (each reporter bundles its own): one state, one listener', async () => {
    const listeners = process.listenerCount('exit');
    const first = await import('./exit-line.js');
    vi.resetModules();
    const second = await import('./exit-line.js');
    expect(second).not.toBe(first);
    const owed = [first.oweLineAtExit(owing()), second.oweLineAtExit(owing())];
    const shared = (globalThis as Record<symbol, { debts: Set<unknown> } | undefined>)[
      Symbol.for('@promise-failure/reporting.exit-line.v1')
    ];
    expect(shared?.debts.size).toBe(2);
    expect(process.listenerCount('exit')).toBe(listeners + 1);
    // Paid: this test's process must not print the line at its own exit.
    for (const each of owed) each.paid();
    expect(shared?.debts.size).toBe(0);
  });
});

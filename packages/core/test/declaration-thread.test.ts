import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FakeBuildkite } from '@promise-failure/testkit';
import { describe, expect, it } from 'vitest';
import { exitGrace } from '../src/exit-grace.js';
import { cliPath, fakeBuildkite, jobEnv, startNode, temporaryDirectory } from './support.js';

/*
 * Where a declaration runs (src/declare-in-worker.ts): in a worker thread, so that the caller's thread never
 * loads the transports nor the claim; in the caller's thread where no worker can run, and in the CLI. Every
 * process here runs the built package with a preload that records, per thread, each module of the core's
 * build and of undici as it loads (fixtures/record-thread-loads.cjs).
 */
const packageRoot = join(import.meta.dirname, '..');
const recorder = join(import.meta.dirname, 'fixtures', 'record-thread-loads.cjs');
/** The declaration's own code: the claim (`declare-<hash>`), the transports, the worker's entry. */
const declarationCode = /[\\/](declare-[A-Z0-9]{8}|send-declaration-[A-Z0-9]{8}|declare-worker)\.c?js$/;
/** The transports (`send-declaration-<hash>`: Node's own HTTP); undici loads only behind a proxy. */
const transport = /[\\/]send-declaration-[A-Z0-9]{8}\.c?js$/;
const undici = /[\\/]undici[\\/]/;
/** Node's flag for its permission model: `--permission` from Node 22.13, `--experimental-permission` before. */
const permissionFlag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

interface Probe {
  code: number | null;
  results: { outcome: string; accepted: boolean; code?: string; error?: string }[];
  stderr: string;
  /** The files each thread loaded, by thread id (0: the caller's). */
  loads: Map<number, string[]>;
}

/**
 * Runs `calls` (a script's body, ending in an array of result promises named `calls`) in a fresh process
 * that loads the core as `format`; prints the results.
 */
async function probe(
  env: Record<string, string>,
  format: 'esm' | 'cjs',
  calls: string,
  options: { nodeArgs?: string[]; cwd?: string; record?: boolean } = {},
): Promise<Probe> {
  const log = join(temporaryDirectory(), 'loads.log');
  writeFileSync(log, '');
  const load = format === 'esm' ? "await import('@promise-failure/core')" : "require('@promise-failure/core')";
  const source = `(async () => { const { promiseFailure } = ${load}; ${calls}; process.stdout.write(JSON.stringify(await Promise.all(calls))); })();`;
  // Without the recorder where a preload must see only the declaration's worker: on Node 20 the recorder's loader
  // hooks run on a thread of their own, which runs every preload too.
  const record = options.record === false ? [] : ['--require', recorder];
  const args = [...(options.nodeArgs ?? []), ...record, '-e', source];
  const done = await startNode(args, { ...env, PF_THREAD_LOADS: log }, { cwd: options.cwd ?? packageRoot }).done;
  const loads = new Map<number, string[]>();
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const [thread, file] = [Number(line.slice(0, line.indexOf(' '))), line.slice(line.indexOf(' ') + 1)];
    loads.set(thread, [...new Set([...(loads.get(thread) ?? []), file])]);
  }
  return { code: done.code, results: done.stdout ? JSON.parse(done.stdout) : [], stderr: done.stderr, loads };
}

const callerThread = (loads: Map<number, string[]>) => loads.get(0) ?? [];
const otherThreads = (loads: Map<number, string[]>) => [...loads.entries()].filter(([thread]) => thread !== 0);

describe.each(['esm', 'cjs'] as const)('from the %s build, a direct caller', (format) => {
  it('declares from a worker thread: one request, and its own thread loads neither the transports nor the claim', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const { code, results, stderr, loads } = await probe(env, format, "const calls = [promiseFailure({ reason: 'r' })]");
    expect(code, stderr).toBe(0);
    expect(results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(callerThread(loads).filter((file) => undici.test(file) || declarationCode.test(file))).toEqual([]);
    // The probe sees the worker: one other thread loaded this build's worker file, the claim and the transports.
    const workers = otherThreads(loads).filter(([, files]) => files.some((file) => /[\\/]declare-worker\.c?js$/.test(file)));
    expect(workers).toHaveLength(1);
    const [, workerFiles] = workers[0] as [number, string[]];
    expect(workerFiles).toContain(join(packageRoot, 'dist', format === 'esm' ? 'declare-worker.js' : 'declare-worker.cjs'));
    expect(workerFiles.some((file) => transport.test(file))).toBe(true);
    // Node's own HTTP, no proxy: undici is not loaded by any thread.
    expect([...loads.values()].flat().filter((file) => undici.test(file))).toEqual([]);
    // The worker's debug lines reach the caller's stderr, each a promise-failure line; no token among them.
    expect(stderr).toContain('promise-failure: claimed exit status 1');
    expect(stderr).toContain('promise-failure: Agent API accepted exit status 1');
    for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^promise-failure: /);
    expect(stderr).not.toContain(fake.env.BUILDKITE_AGENT_ACCESS_TOKEN);
  });

  it('racing calls in one process start one worker and make one request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 50 });
    const { code, results, stderr, loads } = await probe(
      jobEnv(fake),
      format,
      "const calls = Array.from({ length: 20 }, (_, index) => promiseFailure({ reason: 'call ' + index }))",
    );
    expect(code, stderr).toBe(0);
    expect(results.filter((result) => result.outcome === 'declared')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'debounced' && result.accepted)).toHaveLength(19);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(otherThreads(loads).filter(([, files]) => files.some((file) => /declare-worker/.test(file)))).toHaveLength(1);
  });
});

describe('a caller in a worker thread (a test runner’s thread pool)', () => {
  it('declares from a worker of the core’s own, as any caller does: one request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const thread = `const { parentPort } = require('node:worker_threads'); require('@promise-failure/core').promiseFailure({ reason: 'r' }).then((result) => parentPort.postMessage(result));`;
    const calls = `const { Worker } = require('node:worker_threads'); const thread = new Worker(${JSON.stringify(thread)}, { eval: true, workerData: { pool: true } }); const calls = [new Promise((resolve) => thread.once('message', resolve))]`;
    const { code, stderr, results, loads } = await probe(jobEnv(fake), 'cjs', calls);
    expect(code, stderr).toBe(0);
    expect(results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect([...loads.values()].filter((files) => files.some((file) => /declare-worker/.test(file)))).toHaveLength(1);
  });
});

describe('the worker never keeps the process alive', () => {
  /** A caller whose request hangs, stopped by its signal (on SIGUSR2) or its timeout; the process must then end by itself. */
  async function hangingCaller(fake: FakeBuildkite, stop: 'signal' | 'timeout') {
    fake.fault({ hang: true });
    const source = `
      const controller = new AbortController();
      process.on('SIGUSR2', () => controller.abort());
      import('@promise-failure/core')
        .then(({ promiseFailure }) => promiseFailure({ signal: controller.signal, timeout: ${stop === 'signal' ? 600_000 : 1_500} }))
        .then((result) => process.stdout.write(JSON.stringify(result)));`;
    const child = startNode(['-e', source], jobEnv(fake), { cwd: packageRoot });
    await fake.waitForAgentRequests(1, { timeout: 30_000 });
    if (stop === 'signal') child.kill('SIGUSR2');
    const { code, stdout, stderr } = await child.done;
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout);
  }

  it('a signal stops the wait at once while the worker’s request hangs; its request was made, so: declared', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await hangingCaller(fake, 'signal');
    expect(result).toMatchObject({ outcome: 'declared', accepted: false, code: 'PROMISE_FAILURE_ABORTED' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('nor after the caller’s timeout', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await hangingCaller(fake, 'timeout');
    expect(result).toMatchObject({ outcome: 'declared', accepted: false, code: 'PROMISE_FAILURE_TIMEOUT' });
  });
});

describe('process.exit() right after the call (Node 20’s --test-force-exit, a runner’s --forceExit)', () => {
  /** Calls the core once and exits on the next turn of the event loop; returns the run and how long the exit took. */
  async function callThenExit(fake: FakeBuildkite) {
    const source = `
      require('@promise-failure/core').promiseFailure({ reason: 'r' });
      setImmediate(() => {
        const exiting = Date.now();
        process.on('exit', () => process.stdout.write(String(Date.now() - exiting)));
        process.exit(0);
      });`;
    const done = await startNode(['-e', source], jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' }), { cwd: packageRoot }).done;
    expect(done.code, done.stderr).toBe(0);
    return { ...done, heldFor: Number(done.stdout) };
  }

  it('the exiting thread waits for the worker until Buildkite answered: the request has arrived', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const { stderr } = await callThenExit(fake);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(stderr).toMatch(
      /^promise-failure: the process is exiting: waited for the declaration's worker thread until Buildkite answered$/m,
    );
  });

  it('Buildkite hung: the exit waits no longer than the grace, and says so', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const { stderr, heldFor } = await callThenExit(fake);
    expect(stderr).toMatch(
      /^promise-failure: the process is exiting: waited \d+ ms for the declaration's worker thread, without Buildkite's answer$/m,
    );
    // The 'exit' listener that measures runs after the wait: it saw the whole grace go by, and not much more.
    expect(heldFor).toBeGreaterThanOrEqual(exitGrace - 50);
    expect(heldFor).toBeLessThan(exitGrace + 5_000);
  });
});

describe('where no worker thread can run, the caller’s thread declares, as before', () => {
  it('a permission model that forbids threads: one request, and a debug line says why', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    // The CommonJS build: under this permission model the probe records `require` only (see the recorder).
    const { code, results, stderr, loads } = await probe(env, 'cjs', "const calls = [promiseFailure({ reason: 'r' })]", {
      nodeArgs: [permissionFlag, '--allow-fs-read=*', '--allow-fs-write=*', '--no-warnings'],
    });
    expect(code, stderr).toBe(0);
    expect(results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(stderr).toMatch(/^promise-failure: no worker thread could be started \(ERR_ACCESS_DENIED.*\): declaring in this thread$/m);
    expect(callerThread(loads).some((file) => transport.test(file))).toBe(true);
    expect(otherThreads(loads)).toEqual([]);
  });

  it.each(['esm', 'cjs'] as const)(
    'the worker’s file is missing (the %s build bundled without it): one request, and a debug line says why',
    async (format) => {
      // An installed copy of the built package without its worker files, as a bundler that copies one file leaves it.
      const project = temporaryDirectory();
      const installed = join(project, 'node_modules', '@promise-failure', 'core');
      mkdirSync(join(installed, 'dist'), { recursive: true });
      cpSync(join(packageRoot, 'package.json'), join(installed, 'package.json'));
      for (const file of readdirSync(join(packageRoot, 'dist'))) {
        if (!file.startsWith('declare-worker.')) cpSync(join(packageRoot, 'dist', file), join(installed, 'dist', file));
      }
      const undiciRoot = dirname(createRequire(join(packageRoot, 'package.json')).resolve('undici/package.json'));
      symlinkSync(undiciRoot, join(project, 'node_modules', 'undici'), 'dir');
      const fake = await fakeBuildkite({ jobApi: 'none' });
      const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
      const { code, results, stderr } = await probe(env, format, "const calls = [promiseFailure({ reason: 'r' })]", { cwd: project });
      rmSync(join(project, 'node_modules', 'undici'));
      expect(code, stderr).toBe(0);
      expect(results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
      expect(fake.agentApiRequests()).toHaveLength(1);
      expect(stderr).toMatch(
        /^promise-failure: the declaration's worker thread did not start \(.*declare-worker.*\): declaring in this thread$/m,
      );
    },
  );
});

describe('a worker that cannot run the declaration: the caller’s thread declares, and nothing is lost', () => {
  /** One call from the cjs build, with debug on, after `setUp` (a script's statements) ran. */
  async function declareAfter(setUp: string, nodeArgs: string[] = []) {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const probed = await probe(env, 'cjs', `${setUp}; const calls = [promiseFailure({ reason: 'r' })]`, {
      nodeArgs,
      record: nodeArgs.length === 0,
    });
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
    expect(fake.agentApiRequests()).toHaveLength(1);
    return probed;
  }

  it('worker_threads.Worker stubbed to throw (a test’s stub, set after the core loaded): declared in this thread', async () => {
    const { stderr, loads } = await declareAfter(
      "require('node:worker_threads').Worker = function Worker() { throw new Error('no threads in this test'); }",
    );
    expect(stderr).toMatch(/^promise-failure: no worker thread could be started \(no threads in this test\): declaring in this thread$/m);
    expect(otherThreads(loads)).toEqual([]);
  });

  it('worker_threads.Worker stubbed with a stand-in that never starts anything: declared in this thread at once', async () => {
    const { stderr } = await declareAfter(
      "const { EventEmitter } = require('node:events'); require('node:worker_threads').Worker = class extends EventEmitter { unref() {} terminate() {} postMessage() {} }",
    );
    expect(stderr).toMatch(/^promise-failure: worker_threads\.Worker is not Node's own \(a test's stub\?\): declaring in this thread$/m);
  });

  it('a worker that fails in its start-up, before its first message (a preload that calls process.chdir): declared in this thread', async () => {
    const preload = join(temporaryDirectory(), 'chdir.cjs');
    writeFileSync(preload, 'process.chdir(process.cwd());\n');
    const { stderr } = await declareAfter('', ['--require', preload]);
    expect(stderr).toMatch(
      /^promise-failure: the declaration's worker thread did not start \(.*process\.chdir.*\): declaring in this thread$/m,
    );
  });

  it('a worker that has not begun by its start deadline: declared in this thread, and the worker never declares', async () => {
    // A preload that holds the worker's start-up (never the main thread's) for longer than the deadline, which a short
    // timeout halves: the caller's thread takes the declaration back, and the worker, once it loads, finds it taken.
    const preload = join(temporaryDirectory(), 'slow-worker.cjs');
    writeFileSync(
      preload,
      "if (!require('node:worker_threads').isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);\n",
    );
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' });
    const probed = await probe(
      env,
      'cjs',
      "const calls = [promiseFailure({ reason: 'r', timeout: 2000 }).then((result) => new Promise((resolve) => setTimeout(() => resolve(result), 3000)))]",
      {
        nodeArgs: ['--require', preload],
      },
    );
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.results).toEqual([expect.objectContaining({ outcome: 'declared', accepted: true })]);
    expect(probed.stderr).toMatch(
      /^promise-failure: the declaration's worker thread did not start within \d+ ms: declaring in this thread$/m,
    );
    // The worker, past its stall, found the declaration taken: one request, from this thread.
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('the CLI', () => {
  it('declares in its own thread: a process of its own, a worker would only add its start-up', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const log = join(temporaryDirectory(), 'loads.log');
    writeFileSync(log, '');
    const { code, stderr } = await startNode(['--require', recorder, cliPath], { ...jobEnv(fake), PF_THREAD_LOADS: log }).done;
    expect(code, stderr).toBe(0);
    expect(fake.agentApiRequests()).toHaveLength(1);
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(lines.some((line) => line.startsWith('0 ') && transport.test(line))).toBe(true);
    expect(lines.filter((line) => /declare-worker/.test(line))).toEqual([]);
  });
});

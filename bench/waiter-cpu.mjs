// The CPU a process spends while it waits on another process's claim (issue 10, item 13), per second
// waited. A holder process declares against a fake Buildkite that never answers, so it holds the claim
// (alive, heartbeating) for the whole run; a waiter process then calls promiseFailure() with a timeout
// and reads process.cpuUsage() (user + system) over its wait, after a warm-up that excludes loading.
// `node bench/waiter-cpu.mjs [seconds]` prints one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBuildkite } from '@promise-failure/testkit';

const seconds = Number(process.argv[2] ?? 5);
const warmUpMs = 3_000;
const core = join(import.meta.dirname, '..', 'packages', 'core');

const holderSource = `
  const { promiseFailure } = await import('@promise-failure/core');
  await promiseFailure({ timeout: 600_000 });
`;
const waiterSource = `
  const { promiseFailure } = await import('@promise-failure/core');
  const call = promiseFailure({ timeout: ${seconds * 1_000 + warmUpMs} });
  await new Promise((resolve) => setTimeout(resolve, ${warmUpMs}));
  const start = process.cpuUsage();
  const startedAt = performance.now();
  const result = await call;
  const used = process.cpuUsage(start);
  const waitedMs = performance.now() - startedAt;
  process.stdout.write(JSON.stringify({
    cpuMsPerSecondWaited: Number(((used.user + used.system) / 1_000 / (waitedMs / 1_000)).toFixed(2)),
    waitedMs: Math.round(waitedMs),
    outcome: result.outcome,
    code: result.code,
  }));
`;

const fake = await startFakeBuildkite({ jobApi: 'none' });
fake.fault({ hang: true });
const lockDir = mkdtempSync(join(tmpdir(), 'pf-waiter-cpu-'));
const env = { PATH: process.env.PATH, ...fake.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(lockDir, 'locks') };
const run = (source) =>
  spawn(process.execPath, ['--input-type=module', '-e', source], { env, cwd: core, stdio: ['ignore', 'pipe', 'inherit'] });
const holder = run(holderSource);
try {
  await fake.waitForAgentRequests(1, { timeout: 30_000 });
  const waiter = run(waiterSource);
  let out = '';
  waiter.stdout.on('data', (chunk) => {
    out += chunk;
  });
  await new Promise((resolve) => waiter.on('close', resolve));
  process.stdout.write(`${JSON.stringify({ ...JSON.parse(out), requests: fake.agentApiRequests().length })}\n`);
} finally {
  holder.kill('SIGKILL');
  await fake.close();
  rmSync(lockDir, { recursive: true, force: true });
}

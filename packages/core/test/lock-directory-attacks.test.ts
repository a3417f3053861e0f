import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobDirectoryName } from '../src/claim/lock-directory.js';
import { callerPath, fakeBuildkite, jobEnv, onCleanup, runCaller, startNode, temporaryDirectory, waitFor } from './support.js';

/*
 * Issue 10's attacks on the lock directory, each with real processes: another user swapping the
 * directory during a call, records that are not ours, a full disk, directories that cannot be shared.
 */

const isRoot = process.getuid?.() === 0;
/** When we are root, the attacker runs as `nobody`: another user, as in the report. */
const attacker = isRoot ? { uid: 65_534, gid: 65_534 } : {};

/** Runs a few lines of Node as the attacker; resolves with its exit code. */
function runAsAttacker(source: string, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['-e', source, ...args], { ...attacker, cwd: '/', stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('a hostile parent directory (issue 10, item 4)', () => {
  it('the lock directory swapped for a symlink during a call: nothing is written through it', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    // The parent of the lock directory is writable by everyone and not sticky.
    const parent = temporaryDirectory();
    chmodSync(parent, 0o777);
    const locks = join(parent, 'locks');
    const room = temporaryDirectory();
    chmodSync(room, 0o777);
    const name = jobDirectoryName(fake.jobId);
    mkdirSync(join(room, name), { mode: 0o777 });
    chmodSync(join(room, name), 0o777);
    if (isRoot) {
      chownSync(room, 65_534, 65_534);
      chownSync(join(room, name), 65_534, 65_534);
    }
    // Every process parks between reading the claims and making its own: the attacker's moment.
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: locks, PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS: '4000' });
    const child = startNode([callerPath, JSON.stringify({ calls: 1 })], env);
    await waitFor(() => (existsSync(join(locks, name)) ? true : undefined));
    const swapped = await runAsAttacker(
      "const fs = require('fs'); fs.renameSync(process.argv[1], process.argv[1] + '.moved'); fs.symlinkSync(process.argv[2], process.argv[1]);",
      [locks, room],
    );
    expect(swapped).toBe(0);
    const result = await child.done;
    expect(JSON.parse(result.stdout).accepted).toBe(1);
    // Everything went to the directory that was checked, wherever it now is; nothing to the attacker's.
    expect(readdirSync(join(room, name))).toEqual([]);
    expect(readdirSync(join(`${locks}.moved`, name))).toContain('exit-1.result');
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('records that are not ours (issue 10, item 10)', () => {
  /** A record saying Buildkite accepted, which would stop the declaration if believed. */
  const accepted = JSON.stringify({
    exitStatus: 1,
    accepted: true,
    transport: 'agent-api',
    upstreamStatus: 204,
    recordedAt: '2026-01-01T00:00:00Z',
  });

  it('a symlinked record is not believed: the declaration is made', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    const directory = join(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string, jobDirectoryName(fake.jobId));
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const planted = join(temporaryDirectory(), 'planted.json');
    writeFileSync(planted, accepted);
    symlinkSync(planted, join(directory, 'exit-1.result'));
    const summary = await runCaller(env, 3);
    expect(summary.outcomes.declared).toBe(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it.runIf(isRoot)("another user's record is not believed: the declaration is made", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    const directory = join(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string, jobDirectoryName(fake.jobId));
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(join(directory, 'exit-1.result'), accepted);
    chownSync(join(directory, 'exit-1.result'), 65_534, 65_534);
    const summary = await runCaller(env, 3);
    expect(summary.outcomes.declared).toBe(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

/** A 64 KB tmpfs filled to the brim, when we may mount one (root on Linux); undefined otherwise. */
function fullDisk(): string | undefined {
  if (!isRoot || process.platform !== 'linux') return undefined;
  const mountPoint = temporaryDirectory('pf-full-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  onCleanup(() => {
    execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  });
  try {
    writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(1 << 20));
  } catch {
    // ENOSPC: full, as wanted
  }
  return mountPoint;
}

describe('a full disk (issue 10, item 3)', () => {
  it('a claim that cannot be written is removed at once: nobody waits on it, everyone declares', async (context) => {
    const disk = fullDisk();
    if (disk === undefined) return context.skip();
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(disk, 'locks') });
    const summaries = await Promise.all(Array.from({ length: 6 }, () => runCaller(env, 2, { timeout: 15_000 })));
    expect(summaries.map((summary) => summary.accepted)).toEqual([2, 2, 2, 2, 2, 2]);
    for (const summary of summaries) {
      expect(summary.results[0]?.warning).toBe(
        `processes on this machine cannot share the declaration: lock directory ${join(disk, 'locks')} could not be written (ENOSPC: no space left on device)`,
      );
    }
    const directory = join(disk, 'locks', jobDirectoryName(fake.jobId));
    expect(readdirSync(directory).filter((name) => name.includes('claim'))).toEqual([]);
  });
});

describe('lock directories that used to lose the sharing silently (issue 10, item 17)', () => {
  it('an existing 0755 directory: a private 0700 directory inside it is shared by every process', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 30 });
    const given = temporaryDirectory();
    chmodSync(given, 0o755);
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: given, PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS: '300' });
    const startAt = Date.now() + 2_500;
    const summaries = await Promise.all(Array.from({ length: 5 }, () => runCaller(env, 10, { startAt })));
    expect(summaries.reduce((sum, summary) => sum + summary.accepted, 0)).toBe(50);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(readdirSync(given)).toEqual([`promise-failure-${process.getuid?.()}`]);
  });

  it('a relative directory is read against the job checkout, whatever each process’s working directory', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const checkout = temporaryDirectory();
    mkdirSync(join(checkout, 'a'));
    mkdirSync(join(checkout, 'b'));
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: '.promise-failure', BUILDKITE_BUILD_CHECKOUT_PATH: checkout });
    const first = await runCaller(env, 1, { cwd: join(checkout, 'a') });
    const second = await runCaller(env, 1, { cwd: join(checkout, 'b') });
    expect(first.results[0]).toMatchObject({ outcome: 'declared', accepted: true });
    expect(second.results[0]).toMatchObject({ outcome: 'debounced', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(existsSync(join(checkout, '.promise-failure'))).toBe(true);
  });

  it('a case that still cannot share says so on the result (and in doctor), not only under debug', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: 'relative/locks' });
    const summary = await runCaller(env, 1, { cwd: temporaryDirectory() });
    expect(summary.results[0]).toMatchObject({ outcome: 'declared', accepted: true });
    expect(summary.results[0]?.warning).toContain('is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set');
    expect(summary.results[0]?.warning).toMatch(/^processes on this machine cannot share the declaration: /);
  });
});

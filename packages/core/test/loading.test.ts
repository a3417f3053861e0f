import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobDirectoryName } from '../src/claim/lock-directory.js';
import { fakeBuildkite, jobEnv, runCaller, startNode, temporaryDirectory } from './support.js';

const probe = `
const core = require('@promise-failure/core');
const loaded = () => Object.keys(require.cache).filter((path) => /[\\\\/](undici|p-retry)[\\\\/]/.test(path) || /send-declaration|declare-/.test(path));
const before = loaded();
core.promiseFailure().then((result) => {
  process.stdout.write(JSON.stringify({ before, after: loaded(), result }));
});
`;

describe('loading', () => {
  it('importing the core loads neither undici nor the claim; a first call that must declare loads them in its worker thread', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const { stdout } = await startNode(['-e', probe], jobEnv(fake)).done;
    const { before, after, result } = JSON.parse(stdout);
    expect(before).toEqual([]);
    // This thread loads only what starts the worker (declaration-thread.test.ts follows the worker's loads).
    expect(after.filter((path: string) => !/[\\/]declare-in-worker-[A-Z0-9]+\.cjs$/.test(path))).toEqual([]);
    expect(after).toHaveLength(1);
    expect(result.accepted).toBe(true);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('a process that finds a recorded outcome loads neither', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    await runCaller(env);
    const { stdout } = await startNode(['-e', probe], env).done;
    const { after, result } = JSON.parse(stdout);
    expect(after).toEqual([]);
    expect(result).toMatchObject({ outcome: 'debounced', accepted: true });
  });
});

describe('records that are not ours', () => {
  it.runIf(process.getuid?.() === 0)("a record planted in another user's directory is not believed", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const root = join(temporaryDirectory(), 'locks');
    const directory = join(root, jobDirectoryName(fake.jobId));
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(join(directory, 'exit-1.result'), JSON.stringify({ exitStatus: 1, accepted: true, recordedAt: 'x' }));
    chownSync(root, 65_534, 65_534);
    chownSync(directory, 65_534, 65_534);
    const summary = await runCaller(jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: root }));
    expect(summary.outcomes.declared).toBe(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

// The core's rows of `npm run bench`: what one more failing test costs, in-process and across processes.

import { join } from 'node:path';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { median, run, scratch, start } from './support.mjs';

const child = new URL('./core-child.mjs', import.meta.url).pathname;
const importChild = new URL('./import-child.mjs', import.meta.url).pathname;
const cli = new URL('../packages/core/dist/cli.js', import.meta.url).pathname;

function jobEnv(fake) {
  return { PATH: process.env.PATH, ...fake.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(scratch(), 'locks') };
}

async function withFake(options, body) {
  const fake = await startFakeBuildkite(options);
  try {
    return await body(fake);
  } finally {
    await fake.close();
  }
}

/** A repeated call in one process, against a process spawned per failure (the agent's command). */
export async function repeatedCall({ quick }) {
  return withFake({ jobApi: 'none' }, async (fake) => {
    const env = jobEnv(fake);
    const { stdout } = await run(process.execPath, [child, 'repeat', String(quick ? 50_000 : 500_000)], { env });
    const { medianNs } = JSON.parse(stdout);
    const spawnMs = [];
    for (let index = 0; index < (quick ? 3 : 15); index++) spawnMs.push((await run(process.execPath, [cli], { env })).ms);
    const perProcess = median(spawnMs);
    return { medianNs, perProcessMs: perProcess, ratio: (perProcess * 1e6) / medianNs };
  });
}

/** N processes × M calls racing on one job: requests that reached the Agent API, and wall time. */
export async function race({ quick }) {
  const processes = quick ? 8 : 32;
  const calls = quick ? 100 : 500;
  return withFake({ jobApi: 'none', latency: 20 }, async (fake) => {
    const env = jobEnv(fake);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: processes }, () => run(process.execPath, [child, 'race', String(calls)], { env })),
    );
    const wallMs = performance.now() - started;
    const summaries = results.map((result) => JSON.parse(result.stdout));
    return {
      processes,
      calls,
      requests: fake.agentApiRequests().length,
      accepted: summaries.reduce((sum, summary) => sum + summary.accepted, 0),
      wallMs,
    };
  });
}

/** A fresh process whose exit status another process already recorded: call to result. */
export async function freshProcess({ quick }) {
  return withFake({ jobApi: 'none' }, async (fake) => {
    const env = jobEnv(fake);
    await run(process.execPath, [cli], { env });
    const times = [];
    for (let index = 0; index < (quick ? 3 : 21); index++) {
      const { stdout } = await run(process.execPath, [child, 'fresh'], { env });
      const result = JSON.parse(stdout);
      if (result.outcome !== 'debounced' || !result.accepted) throw new Error(`unexpected ${stdout}`);
      times.push(result.ms);
    }
    return { medianMs: median(times), requests: fake.agentApiRequests().length };
  });
}

/** The holder is SIGKILLed while its request hangs: time until a waiting process's request arrives. */
export async function takeover({ quick }) {
  const times = [];
  for (let round = 0; round < (quick ? 2 : 9); round++) {
    times.push(
      await withFake({ jobApi: 'none' }, async (fake) => {
        fake.fault({ hang: true });
        const env = jobEnv(fake);
        const holder = start(process.execPath, [child, 'hold'], { env });
        await fake.waitForAgentRequests(1);
        const waiters = Array.from({ length: 5 }, () => start(process.execPath, [child, 'race', '10'], { env }));
        // Let every waiter start and settle into waiting (process start-up is not what is measured).
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const killedAt = Date.now();
        holder.child.kill('SIGKILL');
        const requests = await fake.waitForAgentRequests(2, { timeout: 10_000 });
        await Promise.all(waiters.map((waiter) => waiter.done));
        return requests[1].at - killedAt;
      }),
    );
  }
  return { medianMs: median(times), maxMs: Math.max(...times), rounds: times.length };
}

/** `import '@promise-failure/core'` in a fresh process. */
export async function importCost({ quick }) {
  const samples = [];
  for (let index = 0; index < (quick ? 3 : 11); index++) samples.push(JSON.parse((await run(process.execPath, [importChild])).stdout));
  return { medianMs: median(samples.map((sample) => sample.ms)), undiciLoaded: samples.some((sample) => sample.undiciLoaded) };
}

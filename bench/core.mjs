// The core's rows of `npm run bench`: what one more failing test costs, in-process and across processes.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { profileCategories } from './breakdown.mjs';
import { median } from './stats.mjs';
import { run, scratch, start } from './support.mjs';

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
  for (let round = 0; round < (quick ? 1 : 9); round++) {
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

/**
 * The cold path: a fresh process, nothing recorded, imports the core and makes the first call (claim,
 * request, record). Wall time and CPU time on the caller's thread, medians of `rounds`; and, from CPU
 * profiles of a few more rounds, where the caller's thread spends it and the CPU time of the declaration's
 * worker thread (where the claim and the request run).
 */
export async function coldPath({ quick }) {
  const samples = [];
  for (let index = 0; index < (quick ? 3 : 15); index++) {
    samples.push(
      await withFake({ jobApi: 'none' }, async (fake) => {
        const { stdout } = await run(process.execPath, [child, 'cold'], { env: jobEnv(fake) });
        const result = JSON.parse(stdout);
        if (result.outcome !== 'declared' || !result.accepted) throw new Error(`unexpected ${stdout}`);
        return result;
      }),
    );
  }
  const profiled = [];
  for (let index = 0; index < (quick ? 1 : 5); index++) {
    profiled.push(
      await withFake({ jobApi: 'none' }, async (fake) => {
        const profiles = scratch('pf-bench-cold-profile-');
        const result = await run(process.execPath, ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${profiles}`, child, 'cold'], {
          env: jobEnv(fake),
        });
        const mine = readdirSync(profiles).filter((name) => name.split('.')[3] === String(result.pid));
        const main = mine.find((name) => name.split('.')[4] === '0');
        if (main === undefined) throw new Error(`bench: cold path: no main-thread profile of process ${result.pid} in ${profiles}`);
        // The declaration's worker thread (the core's; none where it declares in the caller's thread): its CPU, all categories but idle.
        let workerCpu = 0;
        for (const name of mine.filter((each) => each.split('.')[4] !== '0')) {
          const { totals } = profileCategories(join(profiles, name));
          for (const [key, ms] of Object.entries(totals)) if (key !== 'idle') workerCpu += ms;
        }
        return { ...profileCategories(join(profiles, main)).totals, workerCpu };
      }),
    );
  }
  const of = (key) => median(samples.map((sample) => sample[key]));
  const profileOf = (key) => median(profiled.map((totals) => totals[key]));
  return {
    rounds: samples.length,
    importMs: of('importMs'),
    callMs: of('callMs'),
    totalMs: median(samples.map((sample) => sample.importMs + sample.callMs)),
    importCpuMs: of('importCpuMs'),
    callCpuMs: of('callCpuMs'),
    cpuMs: median(samples.map((sample) => sample.importCpuMs + sample.callCpuMs)),
    otherThreadsCpuMs: of('otherThreadsCpuMs'),
    profile: {
      worker: profileOf('worker'),
      loading: profileOf('loading'),
      claim: profileOf('claim'),
      request: profileOf('request'),
      gc: profileOf('gc'),
      workerCpu: profileOf('workerCpu'),
    },
  };
}

/** A process waiting on another's claim (the holder's request hangs): its CPU time per second waited. */
export async function waiterCpu({ quick }) {
  const waitMs = quick ? 1_000 : 10_000;
  const settleMs = quick ? 300 : 2_000;
  const rounds = [];
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    rounds.push(
      await withFake({ jobApi: 'none' }, async (fake) => {
        fake.fault({ hang: true });
        const env = jobEnv(fake);
        const holder = start(process.execPath, [child, 'hold'], { env });
        try {
          await fake.waitForAgentRequests(1, { timeout: 30_000 });
          const { stdout } = await run(process.execPath, [child, 'wait', String(waitMs), String(settleMs)], { env });
          return JSON.parse(stdout);
        } finally {
          holder.child.kill('SIGKILL');
          await holder.done;
        }
      }),
    );
  }
  return {
    seconds: waitMs / 1_000,
    rounds: rounds.length,
    processCpuMsPerSecond: median(rounds.map((each) => each.processCpuMsPerSecond)),
    threadCpuMsPerSecond: median(rounds.map((each) => each.threadCpuMsPerSecond)),
  };
}

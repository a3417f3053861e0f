// The cold declaration against the floor: a fresh process calling `promiseFailure()` once (nothing
// recorded), beside a fresh process sending one bare `node:http` PUT to the same fake Agent API. For each,
// the CPU time of the whole process (every thread, Node's start-up included) and the time from its spawn
// to its request arriving at the fake; in alternating pairs (declare first, then bare first), each process
// on a fake of its own, medians. Run alone: `node bench/cold-vs-bare.mjs [--quick] [--pairs N]`.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { median } from './stats.mjs';
import { run, scratch } from './support.mjs';

const child = new URL('./first-request-child.mjs', import.meta.url).pathname;

/**
 * One fresh process of `mode` ('declare' or 'bare') against a fake of its own (so that its request is its
 * job's first): the process's CPU, and the time from its spawn to its request arriving.
 */
async function once(mode) {
  const fake = await startFakeBuildkite({ jobApi: 'none' });
  try {
    const env = { PATH: process.env.PATH, ...fake.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(scratch(), 'locks') };
    // The fake stamps each request with Date.now() as it arrives: the same clock, in this process.
    const spawnedAt = Date.now();
    const { stdout, stderr, code } = await run(process.execPath, [child, mode], { env });
    if (code !== 0) throw new Error(`bench: ${mode} exited ${code}: ${stderr}`);
    const result = JSON.parse(stdout);
    const [request] = fake.agentApiRequests();
    if (!result.accepted || request === undefined) throw new Error(`bench: ${mode}: no accepted request: ${stdout}`);
    return { cpuMs: result.cpuMs, arrivalMs: request.at - spawnedAt };
  } finally {
    await fake.close();
  }
}

/**
 * Alternating pairs (declare first, then bare first), medians of each side, and their ratios.
 *
 * @param {{ quick: boolean, pairs?: number }} options
 */
export async function coldVersusBare({ quick, pairs = quick ? 3 : 11 }) {
  const samples = { declare: [], bare: [] };
  for (let pair = 0; pair < pairs; pair++) {
    for (const mode of pair % 2 === 0 ? ['declare', 'bare'] : ['bare', 'declare']) samples[mode].push(await once(mode));
  }
  const of = (mode, key) => median(samples[mode].map((sample) => sample[key]));
  const declare = { cpuMs: of('declare', 'cpuMs'), arrivalMs: of('declare', 'arrivalMs') };
  const bare = { cpuMs: of('bare', 'cpuMs'), arrivalMs: of('bare', 'arrivalMs') };
  return { pairs, declare, bare, cpuRatio: declare.cpuMs / bare.cpuMs, arrivalRatio: declare.arrivalMs / bare.arrivalMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const pairsAt = process.argv.indexOf('--pairs');
  const pairs = pairsAt === -1 ? undefined : Number(process.argv[pairsAt + 1]);
  const load = loadavg()
    .map((each) => each.toFixed(2))
    .join(' ');
  const result = await coldVersusBare({ quick, pairs });
  process.stdout.write(
    `${JSON.stringify(
      {
        ...result,
        loadAtStart: load,
        loadAtEnd: loadavg()
          .map((each) => each.toFixed(2))
          .join(' '),
      },
      null,
      2,
    )}\n`,
  );
}

// `npm run bench`: the performance table (each scenario's figure, its ratio and its target), then where a failing
// run's time goes (from CPU profiles) and how soon a final failure reaches Buildkite; written to
// bench/RESULTS.md with the machine it ran on and its load. `--quick` runs every row with small counts: a
// smoke test for CI that asserts nothing about time.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchBreakdown, formatBreakdown } from './breakdown.mjs';
import { coldVersusBare } from './cold-vs-bare.mjs';
import { coldPath, freshProcess, importCost, race, repeatedCall, takeover, waiterCpu } from './core.mjs';
import { benchLatency, formatLatency } from './latency.mjs';
import { formatMs } from './support.mjs';

/** The machine's 1-minute load average: the first of the three (1, 5 and 15 minutes) that `os.loadavg()` returns. */
function oneMinuteLoad() {
  const [oneMinute] = /** @type {[number, number, number]} */ (loadavg());
  return oneMinute;
}

const quick = process.argv.includes('--quick');
// The machine's load when the run started: on a shared machine, small ratios are within its noise.
const loadAtStart = oneMinuteLoad();
const options = { quick };
const rows = [];
const add = (scenario, figure, ratio, target) => {
  // The machine's 1-minute load average as the row finished: on a shared machine, read a row beside it.
  rows.push({ scenario, figure, ratio, target, load: oneMinuteLoad().toFixed(2) });
  process.stderr.write(`bench: ${scenario}: ${figure}${ratio ? ` (${ratio})` : ''}\n`);
};

const repeated = await repeatedCall(options);
add(
  'repeated call in one process, after the first',
  `${(repeated.medianNs / 1_000).toFixed(2)} µs per call`,
  `${Math.round(repeated.ratio).toLocaleString('en')}× faster than a process per failure (${formatMs(repeated.perProcessMs)})`,
  '≤ 1 µs',
);

const raced = await race(options);
add(
  `${raced.processes} processes × ${raced.calls} racing calls`,
  `${raced.requests} request to the Agent API, ${raced.accepted.toLocaleString('en')}/${(raced.processes * raced.calls).toLocaleString('en')} accepted, ${formatMs(raced.wallMs)} wall`,
  `${raced.processes * raced.calls}:${raced.requests} calls per request`,
  'exactly 1 request',
);

const fresh = await freshProcess(options);
add(
  'fresh process, exit status already recorded by another',
  `${formatMs(fresh.medianMs)} from call to result`,
  `${(repeated.perProcessMs / fresh.medianMs).toFixed(0)}× less than spawning the CLI`,
  '≤ 0.5 ms',
);

const taken = await takeover(options);
add(
  'takeover after SIGKILL of the holder',
  `${formatMs(taken.medianMs)} median, ${formatMs(taken.maxMs)} max (${taken.rounds} rounds)`,
  `${(2_000 / taken.medianMs).toFixed(0)}× inside the 2 s guarantee`,
  "within the 2 s guarantee (a dead holder is seen at a waiter's next poll, ≤ 750 ms)",
);

const imported = await importCost(options);
add(
  "import '@promise-failure/core'",
  `${formatMs(imported.medianMs)}, undici ${imported.undiciLoaded ? 'loaded' : 'not loaded'}`,
  '',
  'cheap; undici on first call',
);

const cold = await coldPath(options);
add(
  'cold path: fresh process, nothing recorded (import → claim → request → record)',
  `${formatMs(cold.totalMs)} wall (import ${formatMs(cold.importMs)}, call ${formatMs(cold.callMs)}); ${formatMs(cold.cpuMs)} CPU on the caller's thread (import ${formatMs(cold.importCpuMs)}, call ${formatMs(cold.callCpuMs)}), ${formatMs(cold.otherThreadsCpuMs)} CPU on the process's other threads (the declaration's worker, V8's own); medians of ${cold.rounds}`,
  `profile of the caller's thread: starting the worker thread ${formatMs(cold.profile.worker)}, loading the core and undici ${formatMs(cold.profile.loading)}, claim and record ${formatMs(cold.profile.claim)}, request (incl. HTTP parser) ${formatMs(cold.profile.request)}, GC ${formatMs(cold.profile.gc)}; the declaration's worker thread: ${formatMs(cold.profile.workerCpu)} CPU`,
  "≤ 15 ms CPU on the caller's thread",
);

const versus = await coldVersusBare(options);
add(
  "cold declaration against one bare `node:http` PUT: fresh processes, the same fake (whole process: every thread, Node's start-up included)",
  `declaring: ${formatMs(versus.declare.cpuMs)} CPU, its request ${formatMs(versus.declare.arrivalMs)} after the spawn; the bare PUT: ${formatMs(versus.bare.cpuMs)} CPU, ${formatMs(versus.bare.arrivalMs)}; medians of ${versus.pairs} alternating pairs`,
  `×${versus.cpuRatio.toFixed(1)} the CPU, ×${versus.arrivalRatio.toFixed(1)} the time`,
  '≤ 3× the CPU, ≤ 3× the time',
);

const waiter = await waiterCpu(options);
add(
  'waiter CPU per second waited (another process holds the claim)',
  `${formatMs(waiter.processCpuMsPerSecond)}/s for the process (${formatMs(waiter.threadCpuMsPerSecond)}/s on its main thread), ${waiter.seconds} s waits, median of ${waiter.rounds}`,
  '',
  '≤ 2 ms/s',
);

const reporterRows = await import('./reporters.mjs')
  .then((module) => module.benchReporters(options))
  .catch((error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return [];
    throw error;
  });
for (const row of reporterRows) add(row.scenario, row.figure, row.ratio, row.target);

const breakdown = await benchBreakdown(options);
const latency = await benchLatency(options);
const loadAtEnd = oneMinuteLoad();

const table = [
  '| scenario | figure | ratio | target | load |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.scenario} | ${row.figure} | ${row.ratio} | ${row.target} | ${row.load} |`),
].join('\n');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform} ${process.arch}; load average ${loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end`;
const sections = [
  table,
  `## Where a failing run's time goes\n\nFrom V8 CPU profiles (\`node --cpu-prof\`, 250 µs interval) of each runner's failing suite, ${breakdown[0]?.runs ?? 0} run(s) per side, medians, ms. Every sample of a thread is in one column, so a row adds up to its profile's span; the difference row accounts for the runner's thread's extra time category by category. Profile time is time on the stack, so a loaded machine stretches every column alike. On the worker thread, "runner and Node" is Node starting the thread.\n\n${formatBreakdown(breakdown)}`,
  `## Final failure → request\n\nFrom the failing test's own end (it records \`Date.now()\` as it throws) to the request's arrival at the fake Agent API; the failing test is the first of a file that runs ${formatMs(latency[0]?.tailMs ?? 0)} more.\n\n${formatLatency(latency)}`,
];
process.stdout.write(
  `${sections.join('\n\n')}\n\nMachine: ${machine}${quick ? ' (quick run: small counts, figures not meaningful)' : ''}\n`,
);
if (!quick) {
  // What follows the marker in RESULTS.md is kept as it is: notes written by hand (e.g. a before/after).
  const results = new URL('./RESULTS.md', import.meta.url);
  const marker = '<!-- Kept by npm run bench: everything below this line. -->';
  const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
  const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n`;
  writeFileSync(
    results,
    `# Benchmark results\n\nFrom \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\nMachine: ${machine}\n\n${sections.join('\n\n')}\n\n${kept}`,
  );
}

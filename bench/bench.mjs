// `npm run bench`: the performance table of SPEC.md, with the ratio beside each figure, written to
// bench/RESULTS.md with the machine it ran on. `--quick` runs every row with small counts: a smoke
// test for CI that asserts nothing about time.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { freshProcess, importCost, race, repeatedCall, takeover } from './core.mjs';
import { formatMs } from './support.mjs';

const quick = process.argv.includes('--quick');
// The machine's load when the run started: on a shared machine, small ratios are within its noise.
const loadAtStart = loadavg()[0];
const options = { quick };
const rows = [];
const add = (scenario, figure, ratio, target) => {
  rows.push({ scenario, figure, ratio, target });
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
  '≤ 100 ms median',
);

const imported = await importCost(options);
add(
  "import '@promise-failure/core'",
  `${formatMs(imported.medianMs)}, undici ${imported.undiciLoaded ? 'loaded' : 'not loaded'}`,
  '',
  'cheap; undici on first call',
);

const reporterRows = await import('./reporters.mjs')
  .then((module) => module.benchReporters(options))
  .catch((error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return [];
    throw error;
  });
for (const row of reporterRows) add(row.scenario, row.figure, row.ratio, row.target);

const table = [
  '| scenario | figure | ratio | target |',
  '| --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.scenario} | ${row.figure} | ${row.ratio} | ${row.target} |`),
].join('\n');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform} ${process.arch}; load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`;
process.stdout.write(`${table}\n\nMachine: ${machine}${quick ? ' (quick run: small counts, figures not meaningful)' : ''}\n`);
if (!quick) {
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\nFrom \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\nMachine: ${machine}\n\n${table}\n`,
  );
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A smoke test of `npm run bench`: every row runs, on small counts. It asserts nothing about time (CI
// machines vary); only that the table is complete and that each race and failing suite made one request.
it('node bench/bench.mjs --quick prints the whole table', async () => {
  const run = await runProcess(process.execPath, [path.join(root, 'bench/bench.mjs'), '--quick'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 600_000,
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('| scenario | figure | ratio | target | load |');
  const lines = run.stdout.split('\n');
  for (const row of [
    'repeated call in one process, after the first',
    'processes × 100 racing calls',
    'fresh process, exit status already recorded by another',
    'takeover after SIGKILL of the holder',
    "import '@promise-failure/core'",
    'cold path: fresh process, nothing recorded',
    'cold declaration against one bare `node:http` PUT',
    'waiter CPU per second waited',
    'jest reporter, passing suite',
    'jest reporter, 10 failures',
    'vitest reporter, passing suite',
    'vitest reporter, 10 failures',
    "vitest plugin (the workers' setup file), passing suite",
    "vitest plugin (the workers' setup file), 10 failures",
    'mocha reporter, passing suite',
    'mocha reporter, 10 failures',
    'playwright reporter, passing suite',
    'playwright reporter, 2 failures',
    'node-test reporter, passing suite',
    'node-test reporter, 10 failures',
  ]) {
    expect(
      lines.filter((line) => line.startsWith('| ') && line.includes(row)),
      row,
    ).toHaveLength(1);
  }
  expect(run.stdout).toMatch(/\| 1 request to the Agent API/);
  const failingRows = lines.filter((line) => /( reporter|\)), \d+ failures/.test(line));
  expect(failingRows).toHaveLength(6);
  for (const line of failingRows) expect(line).toContain('; 1 request per run');
  // The profile breakdown: a row per runner's main thread, and the declaration's worker thread.
  expect(run.stdout).toContain("## Where a failing run's time goes");
  for (const runner of ['jest', 'vitest', 'mocha']) {
    expect(lines.filter((line) => line.startsWith(`| ${runner} | runner's main thread, with the reporter`))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith(`| ${runner} | the declaration's worker thread`))).toHaveLength(1);
  }
  // The "final failure → request" table: one row per runner and mode (the per-test modes included), each
  // with a figure.
  expect(run.stdout).toContain('## Final failure → request');
  const latencyRows = lines.filter((line) =>
    /^\| (jest|vitest|mocha|playwright|node:test) \| (reporter|environment|register|plugin)/.test(line),
  );
  expect(latencyRows).toHaveLength(9);
  for (const line of latencyRows) expect(line).toMatch(/\| \d+ ms \| \d+ ms \| 1 \|/);
}, 660_000);

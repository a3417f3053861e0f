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
    timeout: 240_000,
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('| scenario | figure | ratio | target |');
  const lines = run.stdout.split('\n');
  for (const row of [
    'repeated call in one process, after the first',
    'processes × 100 racing calls',
    'fresh process, exit status already recorded by another',
    'takeover after SIGKILL of the holder',
    "import '@promise-failure/core'",
    'jest reporter, passing suite',
    'jest reporter, 20 failures',
    'vitest reporter, passing suite',
    'vitest reporter, 20 failures',
    'mocha reporter, passing suite',
    'mocha reporter, 20 failures',
  ]) {
    expect(
      lines.filter((line) => line.startsWith('| ') && line.includes(row)),
      row,
    ).toHaveLength(1);
  }
  expect(run.stdout).toMatch(/\| 1 request to the Agent API/);
  const failingRows = lines.filter((line) => / reporter, \d+ failures/.test(line));
  expect(failingRows).toHaveLength(3);
  for (const line of failingRows) expect(line).toContain('; 1 request per run');
}, 300_000);

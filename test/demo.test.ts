import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// `npm run demo` (without its build step: `npm test` has built): every row made exactly one request.
it('the demo runs each example, side by side, and on an agent without the route: 1 request per row', async () => {
  const run = await runProcess(process.execPath, [path.join(root, 'bench/demo.mjs')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 240_000,
  });
  expect(run.code, run.stdout).toBe(0);
  const rows = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| runner'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  expect(run.stdout).toContain('| failed tests − requests (²) |');
  expect(rows.map(([runner]) => runner)).toEqual([
    'jest',
    'vitest',
    'mocha',
    'playwright',
    'node --test',
    'jest + vitest + mocha + playwright, side by side in one job',
    'vitest, Job API without the route (¹)',
  ]);
  for (const [runner, failed, requests, failedWithoutRequest, ms] of rows) {
    expect(requests, runner).toBe('1');
    expect(Number(failed), runner).toBeGreaterThan(0);
    expect(Number(failedWithoutRequest), runner).toBe(Number(failed) - 1);
    expect(ms, runner).toMatch(/^\d+$/);
  }
}, 270_000);

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A merge that left its markers in a README once reached main unnoticed: Biome reads no Markdown, and no
// test reads the READMEs. Git itself finds them in every tracked file.
it('no tracked file holds a merge-conflict marker', async () => {
  const marker = (character: string) => `${character.repeat(7)}( |$)`;
  const run = await runProcess('git', ['grep', '-n', '-E', `^(${marker('<')}|${marker('>')}|={7}$)`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 60_000,
  });
  // `git grep` exits 1 when nothing matches, 0 when something does.
  expect(run.stdout).toBe('');
  expect(run.code).toBe(1);
});

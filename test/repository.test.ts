import { readFile } from 'node:fs/promises';
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

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, each space a hyphen. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

// Every figure lives in bench/RESULTS.md; the READMEs and docs link to its headings instead of repeating a
// number. A heading that the next `npm run bench` or an edit renames must not leave those links dangling.
it('every link to a heading of bench/RESULTS.md finds that heading', async () => {
  const results = await readFile(path.join(root, 'bench', 'RESULTS.md'), 'utf8');
  const anchors = new Set([...results.matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1] as string)));
  const listed = await runProcess('git', ['ls-files', '*.md'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 60_000,
  });
  const dangling: string[] = [];
  let links = 0;
  for (const file of listed.stdout.split('\n').filter(Boolean)) {
    const text = await readFile(path.join(root, file), 'utf8');
    for (const [, anchor] of text.matchAll(/RESULTS\.md#([^)\s]+)\)/g)) {
      links += 1;
      if (!anchors.has(anchor as string)) dangling.push(`${file}: #${anchor}`);
    }
  }
  expect(dangling).toEqual([]);
  expect(links).toBeGreaterThan(0);
});

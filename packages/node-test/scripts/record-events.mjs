// Records the events real `node --test` runs give a reporter, on every supported Node.js major, for the
// unit tests of the event rules (src/rules.test.ts): `node scripts/record-events.mjs`, then commit
// test/recordings/ (JSON lines: the run, then its events). Node 22 and 24 come from tools/nodes (`cd tools/nodes && npm ci`).
//
// Each recording is one run of one case of the end-to-end fixture project (test/node-test/fixtures/project)
// with process isolation and, where Node has it, --test-isolation=none: its events, when each arrived (ms from
// the first), and the run's exit code. Paths are rewritten to start at /project.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const project = join(root, 'test/node-test/fixtures/project');
const output = fileURLToPath(new URL('../test/recordings/', import.meta.url));
const recorder = fileURLToPath(new URL('./recorder.mjs', import.meta.url));

const nodes = [
  { major: 20, bin: process.execPath, isolation: [] },
  { major: 22, bin: join(root, 'tools/nodes/node_modules/node22/bin/node'), isolation: ['--experimental-test-isolation=none'] },
  { major: 24, bin: join(root, 'tools/nodes/node_modules/node24/bin/node'), isolation: ['--test-isolation=none'] },
];

const cases = {
  pass: ['pass/math.test.mjs'],
  fail: ['fail/checkout.test.mjs', 'fail/login.test.mjs'],
  early: ['early/concurrent.test.mjs'],
  'hook-before': ['hooks/before.test.mjs'],
  'hook-global-after': ['hooks/global-after.test.mjs'],
  todo: ['todo/todo-and-skip.test.mjs'],
  'syntax-error': ['broken/syntax-error.test.mjs'],
  'exit-code': ['broken/exit-code.test.mjs'],
  ...Object.fromEntries(
    [
      'skip-then-throw',
      'suite-skip-then-throw',
      'suite-after',
      'after-each',
      'describe-throws',
      'describe-todo',
      'expect-failure',
      'expect-failure-only',
      'uncaught-after-end',
      'exits-mid-test',
      'timeout',
    ].map((name) => [name, [`edge/${name}.test.mjs`]]),
  ),
};

rmSync(output, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
// A copy at a fixed depth, so that the rewritten paths do not depend on where the repository is.
const scratch = mkdtempSync(join(tmpdir(), 'record-events-'));
const copy = join(scratch, 'project');
cpSync(project, copy, { recursive: true });

for (const node of nodes) {
  const version = spawnSync(node.bin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
  for (const isolation of ['process', ...(node.isolation.length ? ['none'] : [])]) {
    for (const [name, files] of Object.entries(cases)) {
      const flags = isolation === 'none' ? node.isolation : [];
      record(`${node.major}-${isolation}-${name}`, node.bin, version, isolation, [...flags, ...files]);
    }
  }
  if (node.major >= 24) {
    // --test-rerun-failures: two attempts of a failing run; the state file carries what passed.
    const state = join(scratch, 'rerun-state.json');
    for (const attempt of [1, 2]) {
      record(`${node.major}-process-rerun-attempt-${attempt}`, node.bin, version, 'process', [
        `--test-rerun-failures=${state}`,
        'fail/login.test.mjs',
      ]);
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

function record(name, bin, version, isolation, args) {
  const file = join(scratch, `${name}.jsonl`);
  const run = spawnSync(
    bin,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${recorder}`,
      '--test-reporter-destination=stderr',
      ...args,
    ],
    {
      cwd: copy,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', RECORD_FILE: file, SLOW_TEST_CAP_MS: '300' },
      timeout: 60_000,
    },
  );
  // process.exit() in a test without process isolation ends the runner before any event.
  const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const lines = text === '' ? [] : text.split('\n').map((line) => JSON.parse(line));
  const start = lines[0]?.time ?? 0;
  const events = lines.map(({ time, type, data }) => ({ at: time - start, type, data }));
  const recording = { node: version, isolation, args: args.map((arg) => arg.replaceAll(scratch, '')), exitCode: run.status, events };
  // JSON lines: the run first, then one event a line, so that a diff of a re-recording reads event by event.
  const { events: _, ...header } = recording;
  const body = [header, ...events].map((line) => JSON.stringify(line)).join('\n');
  writeFileSync(join(output, `${name}.jsonl`), `${body.replaceAll(copy, '/project').replaceAll(scratch, '')}\n`);
  process.stdout.write(`${name}: exit ${run.status}, ${events.length} events\n`);
}

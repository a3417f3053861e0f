import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TestEvent } from './events.js';
import { formatFailure } from './reason.js';
import { type Failure, FailureRules, semanticsOf } from './rules.js';

/** A real run recorded by scripts/record-events.mjs: Node's events to a reporter, and the run's exit code. */
interface Recording {
  readonly name: string;
  readonly node: string;
  readonly isolation: 'process' | 'none';
  readonly exitCode: number;
  readonly events: ReadonlyArray<TestEvent & { readonly at: number }>;
}

const directory = new URL('../test/recordings/', import.meta.url);
const recordings: Recording[] = readdirSync(directory)
  .filter((file) => file.endsWith('.jsonl'))
  .sort()
  .map((file) => {
    const [run, ...events] = readFileSync(new URL(file, directory), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    return { name: file.replace(/\.jsonl$/, ''), ...run, events };
  });

/** Feeds a recording to fresh rules: every final failure, with the index of the event that showed it. */
function replay(recording: Recording) {
  const rules = new FailureRules(semanticsOf(recording.node), '/project');
  const failures: { index: number; failure: Failure }[] = [];
  recording.events.forEach((event, index) => {
    const failure = rules.observe(event);
    if (failure) failures.push({ index, failure });
  });
  return { rules, failures, first: failures[0] };
}

function recording(name: string): Recording {
  const found = recordings.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no recording ${name}: run scripts/record-events.mjs`);
  return found;
}

// Without process isolation a test file that sets `process.exitCode` sets the runner's own: no event says so.
const blindSpots = new Set(['22-none-exit-code', '24-none-exit-code']);

describe('over recorded runs of Node 20, 22 and 24', () => {
  test('there are recordings of each major, with and without process isolation', () => {
    expect(new Set(recordings.map(({ node, isolation }) => `${node.split('.')[0]}-${isolation}`))).toEqual(
      new Set(['20-process', '22-process', '22-none', '24-process', '24-none']),
    );
    expect(recordings.length).toBeGreaterThan(90);
  });

  test.each(recordings.filter(({ name }) => !blindSpots.has(name)).map((r) => [r.name, r] as const))(
    '%s: a final failure exactly when the run exits non-zero',
    (_name, run) => {
      const { first } = replay(run);
      expect(first !== undefined).toBe(run.exitCode !== 0);
    },
  );

  test.each([...blindSpots])('%s: a file that sets process.exitCode without process isolation is not seen', (name) => {
    const run = recording(name);
    expect(run.exitCode).toBe(3);
    expect(replay(run).first).toBeUndefined();
  });

  test.each(recordings.filter(({ name }) => name.endsWith('-early')).map((r) => [r.name, r] as const))(
    '%s: the failure is known at its test:complete, before the slower test running beside it ends',
    (_name, run) => {
      const { first } = replay(run);
      const indexOf = (type: string, name: string) =>
        run.events.findIndex((event) => event.type === type && (event.data as { name?: string } | undefined)?.name === name);
      expect(first?.index).toBe(indexOf('test:complete', 'charges the card'));
      expect(first!.index).toBeLessThan(indexOf('test:complete', 'waits for the promise'));
      // Node reports test:fail in definition order: only after the slower test, defined first.
      expect(indexOf('test:fail', 'charges the card')).toBeGreaterThan(indexOf('test:complete', 'waits for the promise'));
    },
  );

  test('--test-rerun-failures: every attempt is told apart by details.attempt; ordinary runs are not', () => {
    for (const run of recordings) {
      expect([run.name, replay(run).rules.rerun]).toEqual([run.name, run.name.includes('-rerun-')]);
    }
  });

  test.each([
    ['20-process-fail', 'node --test: charges the card failed (fail/checkout.test.mjs)'],
    ['24-process-fail', 'node --test: charges the card failed (fail/checkout.test.mjs)'],
    ['24-process-early', 'node --test: checkout › charges the card failed (early/concurrent.test.mjs)'],
    ['22-none-early', 'node --test: checkout › charges the card failed (early/concurrent.test.mjs)'],
    [
      '22-process-hook-before',
      'node --test: orders › lists orders failed: test did not finish before its parent and was cancelled (hooks/before.test.mjs)',
    ],
    ['20-process-hook-global-after', 'node --test: a global after hook failed: cleanup failed (hooks/global-after.test.mjs)'],
    ['24-process-hook-global-after', 'node --test: a global after hook failed: cleanup failed (hooks/global-after.test.mjs)'],
    ['24-process-suite-after', 'node --test: suite failed: failed running after hook (edge/suite-after.test.mjs)'],
    ['20-process-syntax-error', 'node --test: test file failed: SyntaxError: Unexpected end of input (broken/syntax-error.test.mjs)'],
    ['24-process-syntax-error', 'node --test: test file failed: SyntaxError: Unexpected end of input (broken/syntax-error.test.mjs)'],
    ['24-none-syntax-error', 'node --test: test file failed: Unexpected end of input (broken/syntax-error.test.mjs)'],
    ['22-process-exit-code', 'node --test: test file failed: exited with code 3 (broken/exit-code.test.mjs)'],
    ['24-process-timeout', 'node --test: too slow failed: test timed out after 50ms (edge/timeout.test.mjs)'],
    ['24-process-expect-failure', 'node --test: passes unexpectedly failed (edge/expect-failure.test.mjs)'],
  ])('%s: the reason', (name, reason) => {
    expect(formatFailure(replay(recording(name)).first!.failure, '/project')).toBe(reason);
  });

  test('without process isolation, an error after the tests ended: the run fails, and the reason quotes Node', () => {
    const reason = formatFailure(replay(recording('24-none-uncaught-after-end')).first!.failure, '/project');
    expect(reason).toMatch(/^node --test: the run failed: Error: Test "leaves a timer behind" .* generated asynchronous activity/);
  });

  test('a global after hook waits for the final summary on Node 22+ (final with process isolation only)', () => {
    const isolated = replay(recording('24-process-hook-global-after'));
    const run = recording('24-process-hook-global-after');
    expect(run.events[isolated.first!.index]?.type).toBe('test:summary');
    expect(replay(recording('24-none-hook-global-after')).first).toBeUndefined();
    // Node 20 exits 1 on the hook's test:fail itself.
    const node20 = replay(recording('20-process-hook-global-after'));
    expect(recording('20-process-hook-global-after').events[node20.first!.index]?.type).toBe('test:fail');
  });
});

describe('semanticsOf', () => {
  test.each([
    ['20.19.0', 'fail-event'],
    ['v20.20.2', 'fail-event'],
    ['22.12.0', 'tests'],
    ['23.11.1', 'tests'],
    ['24.7.0', 'tests-and-suites'],
    ['25.0.0', 'tests-and-suites'],
    ['not a version', 'fail-event'],
  ])('%s → %s', (version, semantics) => {
    expect(semanticsOf(version)).toBe(semantics);
  });
});

describe('events it cannot read', () => {
  test('never throw and never count as a failure', () => {
    const rules = new FailureRules('tests-and-suites', '/project');
    for (const event of [
      { type: 'test:fail', data: null },
      { type: 'test:complete', data: { details: null } },
      { type: 'test:summary', data: { success: 'no' } },
      { type: 'test:stderr', data: { file: 1, message: {} } },
      { type: 'test:dequeue', data: { nesting: -1, name: 'x' } },
    ] as TestEvent[]) {
      expect(() => rules.observe(event)).not.toThrow();
    }
    // `test:fail` with no data at all is still a failure (a test failed), named as best it can be.
    expect(rules.observe({ type: 'test:fail' })).toEqual({ what: 'a test failed', file: undefined });
  });

  test('any shape of event: observe never throws', () => {
    const type = fc.oneof(
      fc.constantFrom('test:fail', 'test:complete', 'test:summary', 'test:dequeue', 'test:stderr', 'test:diagnostic'),
      fc.string(),
    );
    const data = fc.oneof(
      fc.anything(),
      fc.record(
        {
          name: fc.anything(),
          nesting: fc.oneof(fc.integer(), fc.double(), fc.anything()),
          file: fc.oneof(fc.string(), fc.anything()),
          todo: fc.anything(),
          skip: fc.anything(),
          details: fc.oneof(
            fc.anything(),
            fc.record({ passed: fc.anything(), type: fc.anything(), attempt: fc.anything(), error: fc.anything() }),
          ),
          success: fc.anything(),
          message: fc.oneof(fc.string(), fc.anything()),
          level: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    for (const semantics of ['fail-event', 'tests', 'tests-and-suites'] as const) {
      const rules = new FailureRules(semantics, '/project');
      fc.assert(
        fc.property(type, data, (eventType, eventData) => {
          rules.observe({ type: eventType, data: eventData } as TestEvent);
        }),
      );
    }
  });
});

import { describe, expect, test } from 'vitest';
import { FinalFailures, outcomeOf } from './final-failures.js';
import type { PlaywrightError, PlaywrightTestCase, PlaywrightTestResult, PlaywrightTestStatus } from './playwright-types.js';

/**
 * One `onTestEnd` call as Playwright made it, recorded from real runs of Playwright 1.65 and 1.57 (both
 * report these sequences alike): which test, its retries, the attempt's status, the test's expected status
 * after the attempt, and the first line of the attempt's error.
 */
interface RecordedCall {
  /** `file › …titles`, e.g. `tests/a.spec.js › group › in group`. */
  readonly test: string;
  readonly project?: string;
  readonly retries: number;
  readonly status: PlaywrightTestStatus;
  readonly expectedStatus?: PlaywrightTestStatus;
  readonly error?: string;
}

const cwd = '/repo';
// Playwright's assertion messages carry ANSI colours even with NO_COLOR set.
const expectMessage =
  'Error: \u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe\u001b[2m(\u001b[22m\u001b[32mexpected\u001b[39m\u001b[2m) // Object.is equality\u001b[22m\n\nExpected: 2\nReceived: 1';
const expectLine = 'Error: expect(received).toBe(expected) // Object.is equality';

/**
 * Replays the calls as Playwright makes them (one test object per test and project, its `results` growing by
 * one attempt per call) and returns every call that the rule answered with a final failure, with its reason.
 */
function replay(calls: readonly RecordedCall[], failOnFlakyTests = false): { at: number; reason: string }[] {
  const rule = new FinalFailures({ failOnFlakyTests, cwd });
  const tests = new Map<string, { retries: number; expectedStatus: PlaywrightTestStatus; results: PlaywrightTestResult[] }>();
  const verdicts: { at: number; reason: string }[] = [];
  calls.forEach((call, at) => {
    const key = `${call.project ?? ''}|${call.test}`;
    const state = tests.get(key) ?? { retries: call.retries, expectedStatus: 'passed', results: [] };
    tests.set(key, state);
    state.expectedStatus = call.expectedStatus ?? 'passed';
    const result: PlaywrightTestResult = {
      retry: state.results.length,
      status: call.status,
      ...(call.error === undefined ? {} : { error: { message: call.error }, errors: [{ message: call.error }] }),
    };
    state.results.push(result);
    const verdict = rule.onTestEnd(testCase(call, state), result);
    if (verdict) verdicts.push({ at, reason: verdict() });
  });
  return verdicts;
}

function testCase(
  call: RecordedCall,
  state: { retries: number; expectedStatus: PlaywrightTestStatus; results: PlaywrightTestResult[] },
): PlaywrightTestCase {
  const [file = '', ...titles] = call.test.split(' › ');
  return {
    retries: state.retries,
    expectedStatus: state.expectedStatus,
    results: state.results,
    location: { file: `${cwd}/${file}` },
    titlePath: () => ['', call.project ?? '', file, ...titles],
  };
}

describe('onTestEnd: only a final failure counts', () => {
  test('a failed attempt with a retry to come promises nothing; the last one does, once, naming the test', () => {
    const calls: RecordedCall[] = [
      { test: 'tests/a.spec.js › always', retries: 1, status: 'failed', error: expectMessage },
      { test: 'tests/a.spec.js › always', retries: 1, status: 'failed', error: expectMessage },
    ];
    expect(replay(calls)).toEqual([{ at: 1, reason: `playwright: tests/a.spec.js › always › ${expectLine}` }]);
  });

  test('without retries the first failed attempt is final', () => {
    const calls: RecordedCall[] = [{ test: 'tests/a.spec.js › once', retries: 0, status: 'failed', error: expectMessage }];
    expect(replay(calls)).toEqual([{ at: 0, reason: `playwright: tests/a.spec.js › once › ${expectLine}` }]);
  });

  test('a timed-out attempt with a retry to come promises nothing; timing out every attempt does', () => {
    const timeout = 'Test timeout of 500ms exceeded.';
    expect(
      replay([
        { test: 'tests/a.spec.js › slow once', retries: 1, status: 'timedOut', error: timeout },
        { test: 'tests/a.spec.js › slow once', retries: 1, status: 'passed' },
      ]),
    ).toEqual([]);
    expect(
      replay([
        { test: 'tests/a.spec.js › slow', retries: 1, status: 'timedOut', error: timeout },
        { test: 'tests/a.spec.js › slow', retries: 1, status: 'timedOut' },
      ]),
    ).toEqual([{ at: 1, reason: `playwright: tests/a.spec.js › slow › ${timeout}` }]);
  });

  const flaky: RecordedCall[] = [
    { test: 'tests/a.spec.js › flaky', retries: 1, status: 'failed', error: expectMessage },
    { test: 'tests/a.spec.js › flaky', retries: 1, status: 'passed' },
  ];

  test('a test that passes on retry (flaky) promises nothing', () => {
    expect(replay(flaky)).toEqual([]);
  });

  test('under failOnFlakyTests a flaky test is a final failure, at the attempt that passed', () => {
    expect(replay(flaky, true)).toEqual([
      { at: 1, reason: 'playwright: tests/a.spec.js › flaky › flaky: passed on retry 1 after failing, and failOnFlakyTests is set' },
    ]);
  });

  test('test.fail() that fails promises nothing; one that passes every attempt does', () => {
    expect(
      replay([{ test: 'tests/a.spec.js › known bug', retries: 1, status: 'failed', expectedStatus: 'failed', error: expectMessage }]),
    ).toEqual([]);
    expect(
      replay([
        { test: 'tests/a.spec.js › fixed bug', retries: 1, status: 'passed', expectedStatus: 'failed' },
        { test: 'tests/a.spec.js › fixed bug', retries: 1, status: 'passed', expectedStatus: 'failed' },
      ]),
    ).toEqual([{ at: 1, reason: 'playwright: tests/a.spec.js › fixed bug › expected to fail, but passed' }]);
  });

  test('test.skip and test.fixme promise nothing', () => {
    expect(
      replay([
        { test: 'tests/a.spec.js › skipped', retries: 1, status: 'skipped', expectedStatus: 'skipped' },
        { test: 'tests/a.spec.js › fixme', retries: 0, status: 'skipped', expectedStatus: 'skipped' },
      ]),
    ).toEqual([]);
  });

  test('a failing beforeAll: its first test fails every attempt, the others are skipped', () => {
    const calls: RecordedCall[] = [
      { test: 'tests/b.spec.js › group › in group', retries: 1, status: 'failed', error: 'Error: before all broke' },
      { test: 'tests/b.spec.js › group › in group 2', retries: 1, status: 'skipped' },
      { test: 'tests/b.spec.js › group › in group', retries: 1, status: 'failed', error: 'Error: before all broke' },
      { test: 'tests/b.spec.js › group › in group 2', retries: 1, status: 'skipped' },
    ];
    expect(replay(calls)).toEqual([{ at: 2, reason: 'playwright: tests/b.spec.js › group › in group › Error: before all broke' }]);
  });

  test("a failing afterAll fails the group's last test, every attempt", () => {
    const calls: RecordedCall[] = [
      { test: 'tests/b.spec.js › group › in group', retries: 1, status: 'passed' },
      { test: 'tests/b.spec.js › group › in group 2', retries: 1, status: 'failed', error: 'Error: after all broke' },
      { test: 'tests/b.spec.js › group › in group 2', retries: 1, status: 'failed', error: 'Error: after all broke' },
    ];
    expect(replay(calls)).toEqual([{ at: 2, reason: 'playwright: tests/b.spec.js › group › in group 2 › Error: after all broke' }]);
  });

  test('a worker that crashes fails the test it was running', () => {
    const crash = 'Error: worker process exited unexpectedly (code=3, signal=null)';
    const calls: RecordedCall[] = [
      { test: 'tests/b.spec.js › crash', retries: 1, status: 'failed', error: crash },
      { test: 'tests/b.spec.js › crash', retries: 1, status: 'failed', error: crash },
    ];
    expect(replay(calls)).toEqual([{ at: 1, reason: `playwright: tests/b.spec.js › crash › ${crash}` }]);
  });

  test('interrupted attempts (maxFailures reached, a signal) are not failures', () => {
    expect(replay([{ test: 'tests/a.spec.js › slow', retries: 0, status: 'interrupted' }])).toEqual([]);
  });

  test('a serial group retried: a test that passed, then failed on the last attempt, is flaky; the one that did not run after failing is final', () => {
    // Recorded from `test.describe.serial` with retries: 1, where `second` fails the first attempt and `first` the retry.
    const calls: RecordedCall[] = [
      { test: 'tests/s.spec.js › serial › first', retries: 1, status: 'passed' },
      { test: 'tests/s.spec.js › serial › second', retries: 1, status: 'failed', error: expectMessage },
      { test: 'tests/s.spec.js › serial › third', retries: 1, status: 'skipped' },
      { test: 'tests/s.spec.js › serial › first', retries: 1, status: 'failed', error: expectMessage },
      { test: 'tests/s.spec.js › serial › second', retries: 1, status: 'skipped' },
      { test: 'tests/s.spec.js › serial › third', retries: 1, status: 'skipped' },
    ];
    expect(replay(calls)).toEqual([{ at: 4, reason: `playwright: tests/s.spec.js › serial › second › ${expectLine}` }]);
    // Under failOnFlakyTests `first` became flaky first.
    expect(replay(calls, true)[0]?.at).toBe(3);
  });

  test('the same test in several projects is several tests; the reason names the project', () => {
    const calls: RecordedCall[] = [
      { test: 'tests/p.spec.js › shared', project: 'a', retries: 1, status: 'failed', error: expectMessage },
      { test: 'tests/p.spec.js › shared', project: 'b', retries: 1, status: 'failed', error: expectMessage },
      { test: 'tests/p.spec.js › shared', project: 'a', retries: 1, status: 'passed' },
      { test: 'tests/p.spec.js › shared', project: 'b', retries: 1, status: 'failed', error: expectMessage },
    ];
    expect(replay(calls)).toEqual([{ at: 3, reason: `playwright: [b] › tests/p.spec.js › shared › ${expectLine}` }]);
  });

  test('a reason without an error says what the status says', () => {
    expect(replay([{ test: 'tests/a.spec.js › quiet', retries: 0, status: 'timedOut' }])[0]?.reason).toBe(
      'playwright: tests/a.spec.js › quiet › timed out',
    );
    expect(replay([{ test: 'tests/a.spec.js › quiet', retries: 0, status: 'failed' }])[0]?.reason).toBe(
      'playwright: tests/a.spec.js › quiet › failed',
    );
  });

  test('a long error is cut to one short line', () => {
    const [verdict] = replay([{ test: 'tests/a.spec.js › long', retries: 0, status: 'failed', error: `Error: ${'x'.repeat(500)}\nmore` }]);
    expect(verdict?.reason.length).toBeLessThan(300);
    expect(verdict?.reason).not.toContain('\n');
  });
});

describe('onError: every error outside a test fails `playwright test`', () => {
  const rule = new FinalFailures({ failOnFlakyTests: false, cwd });
  const reasonOf = (error: PlaywrightError) => rule.onError(error)();

  test('globalSetup throwing names its file', () => {
    expect(reasonOf({ message: 'Error: global setup exploded\n    at …', location: { file: `${cwd}/global-setup.cjs` } })).toBe(
      'playwright: global-setup.cjs › Error: global setup exploded',
    );
  });

  test('a test file that does not load', () => {
    expect(
      reasonOf({
        message: `SyntaxError: ${cwd}/tests/c.spec.js: Unexpected token (3:0)\n\n  1 | …`,
        location: { file: `${cwd}/tests/c.spec.js` },
      }),
    ).toBe(`playwright: tests/c.spec.js › SyntaxError: ${cwd}/tests/c.spec.js: Unexpected token (3:0)`);
  });

  test('without a location, a message in colour, or only a thrown value', () => {
    expect(reasonOf({ message: '\u001b[31mTesting stopped early after 1 maximum allowed failures.\u001b[39m' })).toBe(
      'playwright: Testing stopped early after 1 maximum allowed failures.',
    );
    expect(reasonOf({ value: 'a string was thrown' })).toBe('playwright: a string was thrown');
    expect(reasonOf({})).toBe('playwright: an error outside the tests');
  });
});

describe('onEnd: the run status', () => {
  const rule = new FinalFailures({ failOnFlakyTests: false, cwd });
  const flakyTest: PlaywrightTestCase = {
    retries: 1,
    expectedStatus: 'passed',
    results: [
      { retry: 0, status: 'failed' },
      { retry: 1, status: 'passed' },
    ],
    location: { file: `${cwd}/tests/a.spec.js` },
    titlePath: () => ['', '', 'tests/a.spec.js', 'flaky'],
  };

  test('passed and interrupted (a signal) are not failures', () => {
    expect(rule.onEnd({ status: 'passed' }, () => [])).toBeUndefined();
    expect(rule.onEnd({ status: 'interrupted' }, () => [flakyTest])).toBeUndefined();
  });

  test('timedout (globalTimeout) is', () => {
    expect(rule.onEnd({ status: 'timedout' }, () => [])?.()).toBe('playwright: the run timed out (globalTimeout)');
  });

  test('failed names a failed test, else a flaky one (failOnFlakyTests where the config did not say so), else the run', () => {
    const failedTest: PlaywrightTestCase = {
      ...flakyTest,
      results: [{ retry: 0, status: 'failed', error: { message: 'Error: snapshot missing' } }],
      titlePath: () => ['', '', 'tests/a.spec.js', 'not retried'],
    };
    expect(rule.onEnd({ status: 'failed' }, () => [flakyTest, failedTest])?.()).toBe(
      'playwright: tests/a.spec.js › not retried › Error: snapshot missing',
    );
    expect(rule.onEnd({ status: 'failed' }, () => [flakyTest])?.()).toBe(
      'playwright: tests/a.spec.js › flaky › flaky: passed on retry 1 after failing, and failOnFlakyTests is set',
    );
    expect(rule.onEnd({ status: 'failed' }, () => [])?.()).toBe('playwright: the run failed');
  });
});

describe('outcomeOf: the same words as Playwright', () => {
  test.each([
    ['passed', ['passed'], 'expected'],
    ['passed', ['failed', 'passed'], 'flaky'],
    ['passed', ['failed', 'failed'], 'unexpected'],
    ['passed', ['failed', 'skipped'], 'unexpected'],
    ['passed', ['passed', 'failed'], 'flaky'],
    ['passed', ['skipped'], 'skipped'],
    ['passed', ['interrupted'], 'skipped'],
    ['passed', ['failed', 'interrupted'], 'unexpected'],
    ['failed', ['failed'], 'expected'],
    ['failed', ['passed'], 'unexpected'],
    ['skipped', ['skipped'], 'skipped'],
    ['skipped', ['failed', 'skipped'], 'flaky'],
  ] as const)('expected %s, attempts %j: %s', (expectedStatus, statuses, outcome) => {
    expect(
      outcomeOf(
        expectedStatus,
        statuses.map((status) => ({ status })),
      ),
    ).toBe(outcome);
  });
});

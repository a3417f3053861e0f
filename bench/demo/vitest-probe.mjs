// The demo's probe for Vitest (added by vitest.config.mjs beside it, so examples/vitest stays as a user writes
// it): one line in $PROMISE_FAILURE_DEMO_PROBE for each test that failed its last attempt, with the time it
// ended in its worker (its start time plus its duration, both from Vitest).
import { appendFileSync } from 'node:fs';

export default class ProbeReporter {
  onTestCaseResult(testCase) {
    if (testCase.result().state !== 'failed' || !process.env.PROMISE_FAILURE_DEMO_PROBE) return;
    const { startTime, duration } = testCase.diagnostic() ?? {};
    appendFileSync(process.env.PROMISE_FAILURE_DEMO_PROBE, `${Math.round(startTime + duration)}\n`);
  }
}

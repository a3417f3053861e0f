// The demo's probe for Playwright Test, so examples/playwright stays as a user writes it: an extra reporter
// that Playwright adds to the configured ones when PW_TEST_REPORTER names it (the hook its editor
// integrations use). One line in $PROMISE_FAILURE_DEMO_PROBE for each test's last failing attempt: when it
// ended in the worker (its start time plus its duration, Date.now() units).
const { appendFileSync } = require('node:fs');

module.exports = class PlaywrightDemoProbe {
  printsToStdio() {
    return false;
  }

  onTestEnd(test, result) {
    const failed = result.status !== test.expectedStatus && result.status !== 'skipped' && result.status !== 'interrupted';
    if (failed && result.retry >= test.retries && process.env.PROMISE_FAILURE_DEMO_PROBE) {
      appendFileSync(process.env.PROMISE_FAILURE_DEMO_PROBE, `${result.startTime.getTime() + result.duration}\n`);
    }
  }
};

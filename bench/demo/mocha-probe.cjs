// The demo's probe for Mocha (a root-hook plugin passed with --require, so examples/mocha stays as a user
// writes it): one line in $PROMISE_FAILURE_DEMO_PROBE for each failing test, the moment it ends (Date.now(),
// in the worker that ran it).
const { appendFileSync } = require('node:fs');

exports.mochaHooks = {
  afterEach() {
    if (this.currentTest?.state === 'failed' && process.env.PROMISE_FAILURE_DEMO_PROBE) {
      appendFileSync(process.env.PROMISE_FAILURE_DEMO_PROBE, `${Date.now()}\n`);
    }
  },
};

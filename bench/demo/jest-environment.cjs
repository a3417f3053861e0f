// The demo's probe for Jest (passed with --testEnvironment, so examples/jest stays as a user writes it):
// Jest's usual Node environment, plus one line in $PROMISE_FAILURE_DEMO_PROBE for each failing test, the
// moment it ends (Date.now(), in the worker that ran it).
const { appendFileSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

module.exports = class ProbeEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    if (event.name === 'test_done' && event.test.errors.length > 0 && process.env.PROMISE_FAILURE_DEMO_PROBE) {
      appendFileSync(process.env.PROMISE_FAILURE_DEMO_PROBE, `${Date.now()}\n`);
    }
    await super.handleTestEvent?.(event, state);
  }
};

const assert = require('node:assert');
const { describe, it } = require('node:test');
const { login } = require('../src/login');

describe('login', () => {
  it('accepts the right password', () => {
    assert.strictEqual(login('ada', 'correct horse battery staple'), true);
  });

  // Fails on purpose: the example shows the failure promised to Buildkite.
  it('rejects bad password', () => {
    assert.strictEqual(login('ada', 'hunter2'), false);
  });
});

const { checkPassword } = require('../src/login');

describe('login', () => {
  test('accepts the right password', () => {
    expect(checkPassword('ada', 'correct horse battery staple')).toBe(true);
  });

  // Fails (src/login.js has a bug): the failure the reporter promises to Buildkite.
  test('rejects bad password', () => {
    expect(checkPassword('ada', 'hunter2')).toBe(false);
  });

  test('rejects an unknown user', () => {
    expect(checkPassword('eve', 'hunter2')).toBe(false);
  });
});

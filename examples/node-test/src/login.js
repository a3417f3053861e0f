const users = new Map([['ada', 'correct horse battery staple']]);

function login(name, password) {
  // The bug the failing test finds: any password is accepted.
  return users.has(name) && typeof password === 'string';
}

module.exports = { login };

const users = new Map([['ada', 'correct horse battery staple']]);

/** Whether the user may log in with this password. */
export function checkPassword(user: string, password: string): boolean {
  // The bug the failing test finds: any password works for a known user.
  return users.has(user) || users.get(user) === password;
}

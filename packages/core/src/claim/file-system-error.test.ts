import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeFileSystemError } from './file-system-error.js';

it("names the code and what it means, once, without Node's system call and path", () => {
  const base = mkdtempSync(join(tmpdir(), 'pf-fserror-'));
  try {
    writeFileSync(join(base, 'file'), '');
    let thrown: unknown;
    try {
      mkdirSync(join(base, 'file', 'locks'));
    } catch (error) {
      thrown = error;
    }
    expect(describeFileSystemError(thrown)).toBe('ENOTDIR: not a directory');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

it.each([
  [Object.assign(new Error("EROFS: read-only file system, mkdir '/x/y'"), { code: 'EROFS' }), 'EROFS: read-only file system'],
  [
    Object.assign(new Error("EXDEV: cross-device link not permitted, rename '/a' -> '/b'"), { code: 'EXDEV' }),
    'EXDEV: cross-device link not permitted',
  ],
  [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'ENOSPC: no space left on device'],
  [Object.assign(new Error('something odd'), { code: 'EODD' }), 'EODD'],
  [new Error('first line\nsecond line'), 'first line'],
  ['a string', 'a string'],
])('%s → %s', (error, expected) => {
  expect(describeFileSystemError(error)).toBe(expected);
});

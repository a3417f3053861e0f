import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeLockRoot, jobDirectoryName, lockRoot, openJobDirectory } from './lock-directory.js';

let base: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'pf-lockdir-'));
  lines.length = 0;
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('lockRoot', () => {
  it('is the variable when set, else promise-failure-<uid> in the temporary directory', () => {
    expect(lockRoot('/some/where')).toBe('/some/where');
    expect(lockRoot(undefined)).toBe(join(tmpdir(), `promise-failure-${process.getuid?.()}`));
  });
});

describe('jobDirectoryName', () => {
  it.each([['../../etc/passwd'], ['a'.repeat(2_048)], ['job\0id'], ['.'], ['..'], ['ünïcødé/job']])(
    'never uses the job id %j raw',
    (jobId) => {
      const name = jobDirectoryName(jobId);
      expect(name).toMatch(/^[A-Za-z0-9_-]{0,40}-[0-9a-f]{32}$/);
      expect(name).not.toContain('/');
      expect(name).not.toContain('\0');
    },
  );

  it('gives different ids different names, even when their slugs agree', () => {
    expect(jobDirectoryName('a/b')).not.toBe(jobDirectoryName('a_b'));
  });
});

describe('openJobDirectory', () => {
  it('creates missing parents of the lock directory, and the directories 0700', () => {
    const root = join(base, 'deep', 'er', 'locks');
    const directory = openJobDirectory(root, true, 'job-1', log);
    expect(directory).toBe(join(root, jobDirectoryName('job-1')));
    expect(lstatSync(root).mode & 0o777).toBe(0o700);
    expect(lstatSync(directory as string).mode & 0o777).toBe(0o700);
  });

  it('keeps hostile job ids inside the lock directory', () => {
    const root = join(base, 'locks');
    for (const jobId of ['../escape', 'a'.repeat(2_048), 'nul\0byte']) {
      const directory = openJobDirectory(root, true, jobId, log) as string;
      expect(directory.startsWith(`${root}/`)).toBe(true);
    }
    expect(readdirSync(base)).toEqual(['locks']);
    expect(readdirSync(root)).toHaveLength(3);
  });

  it('refuses a lock directory that is a symlink', () => {
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(base, 'link');
    symlinkSync(real, link);
    expect(openJobDirectory(link, true, 'job-1', log)).toBeUndefined();
    expect(lines.join('\n')).toContain('is a symlink');
    expect(readdirSync(real)).toEqual([]);
  });

  it('refuses a job directory that is a planted symlink', () => {
    const root = join(base, 'locks');
    mkdirSync(root, { mode: 0o700 });
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, jobDirectoryName('job-1')));
    expect(openJobDirectory(root, true, 'job-1', log)).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's lock directory", () => {
    const root = join(base, 'foreign');
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, 65_534, 65_534);
    expect(openJobDirectory(root, true, 'job-1', log)).toBeUndefined();
    expect(lines.join('\n')).toContain('belongs to uid 65534');
  });

  it('refuses a lock directory that others can read or write', () => {
    const root = join(base, 'open');
    mkdirSync(root);
    chmodSync(root, 0o755);
    expect(openJobDirectory(root, true, 'job-1', log)).toBeUndefined();
    expect(lines.join('\n')).toContain('not 0700');
  });

  it('refuses a lock directory that is a file, and one that cannot be made', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(openJobDirectory(file, true, 'job-1', log)).toBeUndefined();
    expect(openJobDirectory(join(file, 'below'), true, 'job-1', log)).toBeUndefined();
    expect(lines.join('\n')).toMatch(/ENOTDIR|EEXIST|not a directory/);
  });

  it('removes job directories older than 7 days when it makes a new one', () => {
    const root = join(base, 'locks');
    const old = openJobDirectory(root, true, 'old-job', log) as string;
    const recent = openJobDirectory(root, true, 'recent-job', log) as string;
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1_000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    openJobDirectory(root, true, 'new-job', log);
    const names = readdirSync(root);
    expect(names).not.toContain(jobDirectoryName('old-job'));
    expect(names).toContain(jobDirectoryName('recent-job'));
    expect(names).toContain(jobDirectoryName('new-job'));
    expect(recent).toBeTruthy();
  });
});

describe('describeLockRoot', () => {
  it('tells whether the directory is usable without creating it', () => {
    const root = join(base, 'not-yet');
    expect(describeLockRoot(root)).toContain('not there yet');
    expect(readdirSync(base)).toEqual([]);
    mkdirSync(root, { mode: 0o700 });
    expect(describeLockRoot(root)).toContain('usable');
  });
});

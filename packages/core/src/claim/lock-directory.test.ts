import {
  chmodSync,
  chownSync,
  existsSync,
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
import {
  describeLockDirectory,
  describeUnsharedDeclaration,
  givenRoot,
  jobDirectoryName,
  jobMarker,
  openJobDirectory,
} from './lock-directory.js';

let base: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'pf-lockdir-'));
  lines.length = 0;
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** The env of a call whose lock directory is `root`. */
const at = (root: string, extra: Record<string, string> = {}) => ({ BUILDKITE_PROMISE_FAILURE_LOCK_DIR: root, ...extra });
/** The job directory's real path (the call's own goes through /proc/self/fd). */
const open = (root: string, jobId: string) => openJobDirectory(at(root), jobId, log);
const problemOf = (opened: ReturnType<typeof openJobDirectory>) => ('problem' in opened ? opened.problem : undefined);

describe('givenRoot', () => {
  it('is the variable when absolute, else promise-failure-<uid> in the temporary directory', () => {
    expect(givenRoot(at('/some/where'))).toBe('/some/where');
    expect(givenRoot({})).toBe(join(tmpdir(), `promise-failure-${process.getuid?.()}`));
  });

  it('reads a relative variable against the job checkout, the same for every process (issue 10, item 17)', () => {
    expect(givenRoot(at('.locks', { BUILDKITE_BUILD_CHECKOUT_PATH: '/build/checkout' }))).toBe('/build/checkout/.locks');
    expect(givenRoot(at('.locks'))).toEqual({
      problem: expect.stringContaining('is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set'),
    });
  });

  it('refuses a relative variable without an absolute checkout, naming both variables and the values (issue 17, item 6)', () => {
    expect(givenRoot(at('relative/locks'))).toEqual({
      problem:
        'BUILDKITE_PROMISE_FAILURE_LOCK_DIR="relative/locks" is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set, ' +
        'so each process would read it against its own working directory',
    });
    expect(givenRoot(at('.locks', { BUILDKITE_BUILD_CHECKOUT_PATH: 'checkout' }))).toEqual({
      problem:
        'BUILDKITE_PROMISE_FAILURE_LOCK_DIR=".locks" is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not absolute ("checkout"), ' +
        'so each process would read it against its own working directory',
    });
  });
});

describe('the warning when the declaration cannot be shared (issue 17, item 6)', () => {
  it('names the lock directory and the reason once, in one sentence', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    const root = join(file, 'locks');
    const problem = problemOf(open(root, 'job-1'));
    expect(problem).toBe(`lock directory ${root} cannot be used (ENOTDIR: not a directory)`);
    expect(describeUnsharedDeclaration(problem ?? '')).toBe(
      `processes on this machine cannot share the declaration: lock directory ${root} cannot be used (ENOTDIR: not a directory)`,
    );
  });

  it('names a relative lock directory by its variable', () => {
    const problem = problemOf(open('relative/locks', 'job-1'));
    expect(describeUnsharedDeclaration(problem ?? '')).toBe(
      'processes on this machine cannot share the declaration: BUILDKITE_PROMISE_FAILURE_LOCK_DIR="relative/locks" is relative ' +
        'and BUILDKITE_BUILD_CHECKOUT_PATH is not set, so each process would read it against its own working directory',
    );
  });

  it('says where the usable lock directory is, for a later write that fails', () => {
    const root = join(base, 'locks');
    const opened = open(root, 'job-1');
    expect(opened).toEqual({ directory: expect.any(String), lockDirectory: root });
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
    expect(open(root, 'job-1')).toHaveProperty('directory');
    expect(lstatSync(root).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(root, jobDirectoryName('job-1'))).mode & 0o777).toBe(0o700);
    expect(existsSync(join(root, jobDirectoryName('job-1'), jobMarker))).toBe(true);
  });

  it('lets go of a held directory that was removed and made again, and holds the new one', () => {
    const root = join(base, 'locks');
    expect(open(root, 'job-1')).toHaveProperty('directory');
    rmSync(root, { recursive: true });
    expect(open(root, 'job-2')).toHaveProperty('directory');
    expect(readdirSync(root)).toEqual([jobDirectoryName('job-2')]);
  });

  it('keeps hostile job ids inside the lock directory', () => {
    const root = join(base, 'locks');
    for (const jobId of ['../escape', 'a'.repeat(2_048), 'nul\0byte']) expect(open(root, jobId)).toHaveProperty('directory');
    expect(readdirSync(base)).toEqual(['locks']);
    expect(readdirSync(root)).toHaveLength(3);
  });

  it('refuses a lock directory that is a symlink', () => {
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(base, 'link');
    symlinkSync(real, link);
    expect(problemOf(open(link, 'job-1'))).toContain('is a symlink');
    expect(readdirSync(real)).toEqual([]);
  });

  it('refuses a job directory that is a planted symlink', () => {
    const root = join(base, 'locks');
    mkdirSync(root, { mode: 0o700 });
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, jobDirectoryName('job-1')));
    expect(problemOf(open(root, 'job-1'))).toContain('is a symlink');
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's lock directory", () => {
    const root = join(base, 'foreign');
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, 65_534, 65_534);
    expect(problemOf(open(root, 'job-1'))).toContain('belongs to uid 65534');
  });

  it('uses a private 0700 directory of ours inside a lock directory that others can read (issue 10, item 17)', () => {
    const root = join(base, 'open');
    mkdirSync(root);
    chmodSync(root, 0o755);
    expect(open(root, 'job-1')).toHaveProperty('directory');
    const inner = join(root, `promise-failure-${process.getuid?.()}`);
    expect(lstatSync(inner).mode & 0o777).toBe(0o700);
    expect(readdirSync(inner)).toEqual([jobDirectoryName('job-1')]);
    expect(readdirSync(root)).toEqual([`promise-failure-${process.getuid?.()}`]);
  });

  it('refuses that private directory when it is not 0700 or is a symlink', () => {
    const root = join(base, 'open');
    mkdirSync(root);
    chmodSync(root, 0o755);
    const inner = join(root, `promise-failure-${process.getuid?.()}`);
    mkdirSync(inner);
    chmodSync(inner, 0o755);
    expect(problemOf(open(root, 'job-1'))).toContain('not 0700');
  });

  it('refuses a lock directory that is a file, and one that cannot be made', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(problemOf(open(file, 'job-1'))).toContain('is not a directory');
    expect(problemOf(open(join(file, 'below'), 'job-1'))).toMatch(/ENOTDIR|EEXIST|not a directory/);
  });

  it('removes job directories older than 7 days when it makes a new one, only those it provably made (issue 10, item 5)', () => {
    const root = join(base, 'locks');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1_000);
    const age = (path: string) => utimesSync(path, eightDaysAgo, eightDaysAgo);
    open(root, 'old-job');
    const old = join(root, jobDirectoryName('old-job'));
    writeFileSync(join(old, 'exit-1.result'), '{}');
    writeFileSync(join(old, 'exit-1.claim.1'), '{}');
    age(old);
    open(root, 'recent-job');
    // A user's project that happens to be named like a job directory, old, in the directory they gave us.
    const project = join(root, `myproject-${'0123456789abcdef'.repeat(2)}`);
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'main.c'), 'int main(void) { return 0; }');
    age(project);
    // Ours in name and marker, but holding something we never write.
    open(root, 'mixed-job');
    const mixed = join(root, jobDirectoryName('mixed-job'));
    writeFileSync(join(mixed, 'notes.txt'), 'keep me');
    age(mixed);
    open(root, 'new-job');
    const names = readdirSync(root);
    expect(names).not.toContain(jobDirectoryName('old-job'));
    expect(names).toContain(jobDirectoryName('recent-job'));
    expect(names).toContain(jobDirectoryName('new-job'));
    expect(names).toContain(jobDirectoryName('mixed-job'));
    expect(existsSync(join(project, 'src', 'main.c'))).toBe(true);
    expect(existsSync(join(mixed, 'notes.txt'))).toBe(true);
  });
});

describe('describeLockDirectory', () => {
  it('tells whether the directory is usable, and shared, without creating it', () => {
    const root = join(base, 'not-yet');
    expect(describeLockDirectory(at(root))).toContain('not there yet');
    expect(readdirSync(base)).toEqual([]);
    mkdirSync(root, { mode: 0o700 });
    expect(describeLockDirectory(at(root))).toContain('usable');
    expect(describeLockDirectory(at('relative'))).toContain('each process declares on its own (not shared)');
  });

  it('names the directory it cannot check (issue 17, item 6)', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(describeLockDirectory(at(join(file, 'locks')))).toBe(
      `${join(file, 'locks')} cannot be checked (ENOTDIR: not a directory): each process declares on its own (not shared)`,
    );
    expect(describeLockDirectory(at('relative'))).toBe(
      'BUILDKITE_PROMISE_FAILURE_LOCK_DIR="relative" is relative and BUILDKITE_BUILD_CHECKOUT_PATH is not set, so each process ' +
        'would read it against its own working directory: each process declares on its own (not shared)',
    );
  });
});

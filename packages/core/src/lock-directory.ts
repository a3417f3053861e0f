import { lstatSync, mkdirSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DebugLog } from './debug.js';
import { hash128 } from './hash.js';

/** Job directories untouched for this long are removed when a new one is made. */
const jobDirectoryLifetime = 7 * 24 * 60 * 60 * 1_000;

/** `BUILDKITE_PROMISE_FAILURE_LOCK_DIR`, else `<os.tmpdir()>/promise-failure-<uid>`. */
export function lockRoot(lockDirVariable: string | undefined): string {
  if (lockDirVariable) return lockDirVariable;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `promise-failure-${uid}`);
}

/**
 * The job id never appears raw in a path: a readable slug of it (for people looking at the
 * directory) and a hash of the whole id (for uniqueness). `../`, NUL or 2 KB of id are all harmless.
 */
export function jobDirectoryName(jobId: string): string {
  const slug = jobId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const hash = hash128(jobId);
  return `${slug}-${hash}`;
}

/**
 * Makes (or checks) the lock root and the job's directory in it. Returns undefined, with a debug line
 * saying why, when either is not safe to use: a symlink, not a directory, another user's, or a root
 * whose mode is not 0700 (another user could plant or read our files). The caller then declares in
 * this process only. Each check uses `lstat`, so a planted symlink is seen, never followed.
 */
export function openJobDirectory(root: string, createParents: boolean, jobId: string, log: DebugLog): string | undefined {
  try {
    if (!ensureDirectory(root, createParents, true, log)) return undefined;
    const directory = join(root, jobDirectoryName(jobId));
    const created = ensureDirectory(directory, false, false, log);
    if (created === false) return undefined;
    if (created === 'created') removeOldJobDirectories(root, directory, log);
    return directory;
  } catch (error) {
    log(`lock directory ${root} cannot be used (${(error as Error).message}); declaring in this process only`);
    return undefined;
  }
}

/** `'created'`, `'existing'`, or false when it is there but unsafe. Throws on file-system errors. */
function ensureDirectory(path: string, createParents: boolean, isRoot: boolean, log: DebugLog): 'created' | 'existing' | false {
  let stats = lstatOrUndefined(path);
  let created = false;
  if (stats === undefined) {
    if (createParents) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(path, { mode: 0o700 });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    stats = lstatSync(path);
  }
  const problem = unsafe(stats, isRoot);
  if (problem) {
    log(`lock directory ${path} ${problem}; declaring in this process only`);
    return false;
  }
  return created ? 'created' : 'existing';
}

/** Ours, a real directory, and (for the root) mode 0700. */
export function isSafeDirectory(stats: Stats, isRoot: boolean): boolean {
  return unsafe(stats, isRoot) === undefined;
}

function unsafe(stats: Stats, isRoot: boolean): string | undefined {
  if (stats.isSymbolicLink()) return 'is a symlink';
  if (!stats.isDirectory()) return 'is not a directory';
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && stats.uid !== uid) return `belongs to uid ${stats.uid}, not to us (uid ${uid})`;
  if (isRoot && uid !== undefined && (stats.mode & 0o777) !== 0o700) {
    return `has mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}, not 0700`;
  }
  return undefined;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Housekeeping, best effort: only directories named like ours, only when old. */
function removeOldJobDirectories(root: string, keep: string, log: DebugLog): void {
  try {
    const now = Date.now();
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/-[0-9a-f]{32}$/.test(entry.name)) continue;
      const path = join(root, entry.name);
      if (path === keep) continue;
      const stats = lstatOrUndefined(path);
      if (stats && now - stats.mtimeMs > jobDirectoryLifetime) {
        rmSync(path, { recursive: true, force: true });
        log(`removed the old job directory ${entry.name}`);
      }
    }
  } catch (error) {
    log(`could not clean old job directories (${(error as Error).message})`);
  }
}

/** For `promise-failure doctor`: whether the lock root is usable, without creating anything. */
export function describeLockRoot(root: string): string {
  let stats: Stats | undefined;
  try {
    stats = lstatOrUndefined(root);
  } catch (error) {
    return `cannot be checked (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): in-process only`;
  }
  if (stats === undefined) return 'not there yet: made (0700) on the first declaration';
  const problem = unsafe(stats, true);
  return problem ? `${problem}: declarations stay in-process only` : 'usable (ours, 0700)';
}

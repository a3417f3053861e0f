import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmdirSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { now } from '../clock.js';
import type { DebugLog } from '../debug.js';
import type { Env } from '../environment.js';
import { describeFileSystemError } from './file-system-error.js';
import { hash128 } from './hash.js';

/*
 * Where the cross-process records live, and why each step is safe (the design is in docs/claim.md;
 * the rules a user sees are in the core README, "The lock directory").
 *
 *   <root>                      BUILDKITE_PROMISE_FAILURE_LOCK_DIR, else <tmpdir>/promise-failure-<uid>
 *   <root>/promise-failure-<uid>   only when <root> is ours but open to others (0755 from the umask)
 *   <private>/<slug>-<hash>/    one job: .promise-failure-job (our marker), exit-N.result, exit-N.claim.G…
 *
 * The private directory is ours, a real directory, mode 0700: nobody else can add, swap or read what is
 * in it. Its *parent* may not be so safe: with a parent writable by others and not sticky, another user
 * can rename the private directory away and put a symlink (or their own directory) in its place between
 * our check and our next write. So the private directory is *held*: opened once with O_NOFOLLOW |
 * O_DIRECTORY, checked with fstat on that descriptor (ours, a directory, 0700), and from then on every
 * path below it goes through `/proc/self/fd/<fd>/…`, which the kernel resolves to the directory we
 * checked whatever its name now points to. The descriptor stays open for the life of the process (one
 * per lock root). Where /proc is missing (macOS), the checked path is used and the window stays open
 * between the check and each write; the README says so.
 */

/** Job directories untouched for this long are removed when a new one is made (only provably ours). */
const jobDirectoryLifetime = 7 * 24 * 60 * 60 * 1_000;
/** The file that marks a job directory as made by this library; nothing without it is ever removed. */
export const jobMarker = '.promise-failure-job';
/** Every name this library writes in a job directory (temporary files of `publish` included). */
const ourFileName = /^(?:\.promise-failure-job|exit-\d+\.(?:result|claim\.\d+(?:\.done)?)(?:\.\d+\.[0-9a-z]+\.tmp)?)$/;

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/** The lock directory a call will use, or why it has none (a result's `warning` and doctor show it). */
export type LockPlace = { path: string; inner: boolean; stats: Stats } | { problem: string } | { missing: string };

/**
 * The directory given by the user (or the default), made absolute. A relative
 * `BUILDKITE_PROMISE_FAILURE_LOCK_DIR` would mean a different directory for each process started in
 * another working directory (runners in a monorepo's packages), so it is resolved against the job's
 * checkout (`BUILDKITE_BUILD_CHECKOUT_PATH`, the same for every process of the job), or refused.
 */
export function givenRoot(env: Env): string | { problem: string } {
  const variable = env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR;
  if (!variable) return join(tmpdir(), `promise-failure-${uid ?? 'user'}`);
  if (isAbsolute(variable)) return variable;
  const checkout = env.BUILDKITE_BUILD_CHECKOUT_PATH;
  if (checkout && isAbsolute(checkout)) return resolve(checkout, variable);
  const why = checkout
    ? `BUILDKITE_BUILD_CHECKOUT_PATH is not absolute (${JSON.stringify(checkout)})`
    : 'BUILDKITE_BUILD_CHECKOUT_PATH is not set';
  return {
    problem: `BUILDKITE_PROMISE_FAILURE_LOCK_DIR=${JSON.stringify(variable)} is relative and ${why}, so each process would read it against its own working directory`,
  };
}

/**
 * The result's `warning` when the declaration cannot be shared: one line, the reason once (`problem` names
 * the directory or the variable). Reporters append it to their one line, the CLI prints it on its own line.
 */
export function describeUnsharedDeclaration(problem: string): string {
  return `processes on this machine cannot share the declaration: ${problem}`;
}

/**
 * The private directory (ours, 0700) under the given root: the root itself when it is already private,
 * else `promise-failure-<uid>` made inside it. With `create`, missing directories are made 0700 (and
 * the missing parents of a given root); without, a missing one is reported as such.
 */
export function privateDirectory(env: Env, create: boolean): LockPlace {
  const given = givenRoot(env);
  if (typeof given !== 'string') return given;
  let stats = lstatOrUndefined(given);
  if (stats === undefined) {
    if (!create) return { missing: given };
    if (env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR) mkdirSync(dirname(given), { recursive: true, mode: 0o700 });
    makeDirectory(given);
    stats = lstatSync(given);
  }
  // A shared sticky directory (`/tmp`, another user's 1777) is fine to make our own room in: nobody can
  // rename or remove what is ours in it.
  const sticky = stats.isDirectory() && !stats.isSymbolicLink() && (stats.mode & 0o1000) !== 0;
  const problem = sticky ? undefined : unsafe(stats, false);
  if (problem) return { problem: `lock directory ${given} ${problem}` };
  if (!sticky && ((stats.mode & 0o777) === 0o700 || uid === undefined)) return { path: given, inner: false, stats };
  // Ours, but others may list or enter it (0755 from the default umask): our own private room inside.
  const inner = join(given, `promise-failure-${uid}`);
  let innerStats = lstatOrUndefined(inner);
  if (innerStats === undefined) {
    if (!create) return { missing: inner };
    makeDirectory(inner);
    innerStats = lstatSync(inner);
  }
  const innerProblem = unsafe(innerStats, true);
  if (innerProblem) return { problem: `lock directory ${inner} ${innerProblem}` };
  return { path: inner, inner: true, stats: innerStats };
}

const held = new Map<string, { through: string; descriptor: number | undefined; dev: number; ino: number }>();

/**
 * Holds the private directory (see the comment at the top): returns the path through which every
 * later access goes, or why it cannot be held. Throws only on an unexpected file-system error.
 * `seen` is what the path held when just checked: a held directory that is no longer the one at the
 * path (removed and made again, or swapped) is let go and the path held afresh, with every check.
 */
function hold(path: string, seen: Stats): string | { problem: string } {
  const known = held.get(path);
  if (known !== undefined) {
    if (known.dev === seen.dev && known.ino === seen.ino) return known.through;
    held.delete(path);
    if (known.descriptor !== undefined) closeSync(known.descriptor);
  }
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: it was swapped for a symlink after we checked it.
    if (code === 'ELOOP' || code === 'ENOTDIR') return { problem: `lock directory ${path} is a symlink or not a directory` };
    throw error;
  }
  const stats = fstatSync(descriptor);
  const problem = unsafe(stats, true);
  if (problem) {
    closeSync(descriptor);
    return { problem: `lock directory ${path} ${problem}` };
  }
  const proc = `/proc/self/fd/${descriptor}`;
  const viaProc = existsSync(proc);
  if (!viaProc) closeSync(descriptor);
  held.set(path, { through: viaProc ? proc : path, descriptor: viaProc ? descriptor : undefined, dev: stats.dev, ino: stats.ino });
  return viaProc ? proc : path;
}

/**
 * The job's directory, made (with our marker) when missing, or why there is none: then the caller
 * declares in this process only, and the result's `warning` says so.
 */
export function openJobDirectory(
  env: Env,
  jobId: string,
  log: DebugLog,
): { directory: string; lockDirectory: string } | { problem: string } {
  // The directory an unexpected file-system error is told against: the one given (or the default) until the
  // private one is known. `givenRoot` reads only the environment: it cannot throw.
  const given = givenRoot(env);
  let shown = typeof given === 'string' ? given : undefined;
  try {
    const place = privateDirectory(env, true);
    if ('problem' in place) return place;
    if ('missing' in place) return { problem: `lock directory ${place.missing} could not be made` };
    shown = place.path;
    const root = hold(place.path, place.stats);
    if (typeof root !== 'string') return root;
    const name = jobDirectoryName(jobId);
    const directory = join(root, name);
    const created = makeDirectory(directory);
    const problem = unsafe(lstatSync(directory), false);
    if (problem) return { problem: `job directory ${join(place.path, name)} ${problem}` };
    if (created) {
      try {
        writeFileSync(join(directory, jobMarker), '', { flag: 'wx', mode: 0o600 });
      } catch (error) {
        log(`could not mark the job directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      removeOldJobDirectories(root, name, log);
    }
    return { directory, lockDirectory: place.path };
  } catch (error) {
    const where = shown === undefined ? 'the lock directory' : `lock directory ${shown}`;
    return { problem: `${where} cannot be used (${describeFileSystemError(error)})` };
  }
}

/**
 * The job's directory if it is there and safe, creating nothing: the fast path of a process that
 * may find another's record. Undefined otherwise (the slow path then says why).
 */
export function findJobDirectory(env: Env, jobId: string): string | undefined {
  try {
    const place = privateDirectory(env, false);
    if (!('path' in place)) return undefined;
    const root = hold(place.path, place.stats);
    if (typeof root !== 'string') return undefined;
    const directory = join(root, jobDirectoryName(jobId));
    return unsafe(lstatSync(directory), false) === undefined ? directory : undefined;
  } catch {
    return undefined;
  }
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

/** Makes a directory 0700; true when this call made it, false when it was there. */
function makeDirectory(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** Why a directory is not ours to use: a symlink, not a directory, another user's, or (private) not 0700. */
function unsafe(stats: Stats, isPrivate: boolean): string | undefined {
  if (stats.isSymbolicLink()) return 'is a symlink';
  if (!stats.isDirectory()) return 'is not a directory';
  if (uid !== undefined && stats.uid !== uid) return `belongs to uid ${stats.uid}, not to us (uid ${uid})`;
  if (isPrivate && uid !== undefined && (stats.mode & 0o777) !== 0o700) {
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

/**
 * Housekeeping, best effort. A directory is removed only when this library provably made it: named
 * like ours, ours, older than 7 days, holding our marker, and holding nothing but regular files of
 * ours with our names. Anything else — a user's `myproject-<32 hex>/src/main.c` in a lock directory
 * they pointed us at — is never touched. Files are unlinked one by one and the directory removed
 * with rmdir, never recursively: something that appeared meanwhile stops the removal.
 */
function removeOldJobDirectories(root: string, keep: string, log: DebugLog): void {
  try {
    // The real clock (clock.ts): a test's faked date in 2099 would make every directory look a week old.
    const current = now();
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === keep || !/-[0-9a-f]{32}$/.test(entry.name)) continue;
      const path = join(root, entry.name);
      const stats = lstatOrUndefined(path);
      if (!stats?.isDirectory() || (uid !== undefined && stats.uid !== uid) || current - stats.mtimeMs <= jobDirectoryLifetime) continue;
      const names = readdirSync(path);
      if (!names.includes(jobMarker) || !names.every((name) => ourFileName.test(name))) continue;
      const files = names.map((name) => join(path, name));
      if (!files.every((file) => isOurFile(file))) continue;
      for (const file of files) unlinkSync(file);
      rmdirSync(path);
      log(`removed the old job directory ${entry.name}`);
    }
  } catch (error) {
    log(`could not clean old job directories (${(error as Error).message})`);
  }
}

function isOurFile(path: string): boolean {
  const stats = lstatOrUndefined(path);
  return stats?.isFile() === true && (uid === undefined || stats.uid === uid);
}

/** For `promise-failure doctor`: where records would live and whether processes can share them, creating nothing. */
export function describeLockDirectory(env: Env): string {
  let place: LockPlace;
  try {
    place = privateDirectory(env, false);
  } catch (error) {
    const given = givenRoot(env);
    const where = typeof given === 'string' ? `${given} ` : '';
    return `${where}cannot be checked (${describeFileSystemError(error)}): each process declares on its own (not shared)`;
  }
  if ('problem' in place) return `${place.problem}: each process declares on its own (not shared)`;
  if ('missing' in place) return `${place.missing}: not there yet, made (0700) on the first declaration`;
  return `${place.path}: usable (ours, 0700${place.inner ? ', a private directory inside the one given, which others can read' : ''})`;
}

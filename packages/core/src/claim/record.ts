import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugLog } from '../debug.js';
import type { Declaration } from '../declaration.js';
import type { Env } from '../environment.js';
import { ErrorCode } from '../errors.js';
import type { Transport } from '../types.js';
import { findJobDirectory } from './lock-directory.js';

/** What a process recorded for a job and exit status: shared by every later call, in any process. */
export interface DeclarationRecord {
  exitStatus: number;
  accepted: boolean;
  transport?: Transport | undefined;
  upstreamStatus?: number | undefined;
  error?: string | undefined;
  /** The error's code; a record written before codes existed has none (a refusal, since records are final). */
  code?: ErrorCode | undefined;
  recordedAt: string;
}

export function recordPath(jobDirectory: string, exitStatus: number): string {
  return join(jobDirectory, `exit-${exitStatus}.result`);
}

/** The record at `path`, if there is a readable one. A file that cannot be parsed is ignored. */
export function readRecord(path: string, exitStatus: number, log: DebugLog): DeclarationRecord | undefined {
  const text = readOwnFile(path);
  if (text === undefined) return undefined;
  if (text === false) {
    log(`ignoring ${path}: not a regular file of ours`);
    return undefined;
  }
  try {
    const record = JSON.parse(text) as DeclarationRecord;
    if (typeof record === 'object' && record !== null && typeof record.accepted === 'boolean' && record.exitStatus === exitStatus) {
      return record;
    }
  } catch {
    // fall through
  }
  log(`ignoring an unreadable result file ${path}`);
  return undefined;
}

/**
 * The fast path of a fresh process: another process may already have recorded this exit status.
 * Three system calls, no directory created, nothing loaded beyond `node:fs`: the claim (and undici)
 * load only when there is no record. The directories are checked as carefully as when writing: a
 * record planted in a directory that is not ours must not stop a declaration.
 */
export function findRecord(env: Env, jobId: string, exitStatus: number, log: DebugLog): DeclarationRecord | undefined {
  const directory = findJobDirectory(env, jobId);
  return directory === undefined ? undefined : readRecord(recordPath(directory, exitStatus), exitStatus, log);
}

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/**
 * A file's text if it is a regular file of ours; `false` if it is there but is not (a symlink, a FIFO,
 * another user's file: believing it would let someone else stop our declaration); undefined if absent.
 * O_NOFOLLOW refuses a symlink, O_NONBLOCK keeps a planted FIFO from blocking the open.
 */
export function readOwnFile(path: string): string | false | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : false;
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return false;
    return readFileSync(descriptor, 'utf8');
  } catch {
    return false;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Another process's record (redacted when it was written), as a declaration every caller here shares.
 * `starter` is the call that found it: it too gets `debounced`, since its own request never went out.
 */
export function sharedRecord(record: DeclarationRecord, exitStatus: number, log: DebugLog, starter: Declaration['starter']): Declaration {
  log(`exit status ${exitStatus} was already ${record.accepted ? 'promised' : 'refused'} by another process`);
  return {
    starter,
    outcome: 'debounced',
    accepted: record.accepted,
    transport: record.transport,
    upstreamStatus: record.upstreamStatus,
    error: record.error,
    code: record.error === undefined ? undefined : (knownCode(record.code) ?? ErrorCode.Refused),
    final: true,
  };
}

const codes = new Set<string>(Object.values(ErrorCode));

/** A code read from a file is believed only if it is one of ours. */
export function knownCode(value: unknown): ErrorCode | undefined {
  return typeof value === 'string' && codes.has(value) ? (value as ErrorCode) : undefined;
}

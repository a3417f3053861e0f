import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugLog } from '../debug.js';
import type { Env } from '../environment.js';
import { ErrorCode } from '../errors.js';
import type { Outcome } from '../outcome.js';
import type { Transport } from '../types.js';
import { findJobDirectory } from './lock-directory.js';

/**
 * `exit-N.result` as it is written: a final {@link Outcome}'s fields, and when. Written once, never
 * changed; every later call, in any process, reads it back as that outcome (`readRecord`).
 */
export interface RecordFile {
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

/** What a holder writes for a final outcome. */
export function recordFileOf(outcome: Outcome): RecordFile {
  return {
    exitStatus: outcome.exitStatus,
    accepted: outcome.accepted,
    transport: outcome.transport,
    upstreamStatus: outcome.upstreamStatus,
    error: outcome.error,
    code: outcome.code,
    recordedAt: new Date().toISOString(),
  };
}

/**
 * The outcome recorded at `path`, if there is a readable record: final, and `debounced` for whoever
 * reads it, since its request was another call's. A file that cannot be parsed is ignored.
 */
export function readRecord(path: string, exitStatus: number, log: DebugLog): Outcome | undefined {
  const text = readOwnFile(path);
  if (text === undefined) return undefined;
  if (text === false) {
    log(`ignoring ${path}: not a regular file of ours`);
    return undefined;
  }
  try {
    const record = JSON.parse(text) as RecordFile;
    if (typeof record === 'object' && record !== null && typeof record.accepted === 'boolean' && record.exitStatus === exitStatus) {
      return outcomeOf(record);
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
export function findRecord(env: Env, jobId: string, exitStatus: number, log: DebugLog): Outcome | undefined {
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

function outcomeOf(record: RecordFile): Outcome {
  const outcome: Outcome = { outcome: 'debounced', accepted: record.accepted, exitStatus: record.exitStatus, final: true };
  if (record.transport !== undefined) outcome.transport = record.transport;
  if (record.upstreamStatus !== undefined) outcome.upstreamStatus = record.upstreamStatus;
  if (record.error !== undefined) {
    outcome.error = record.error;
    // A record written before results had codes has none: a refusal, the only failure ever recorded.
    outcome.code = knownCode(record.code) ?? ErrorCode.Refused;
  }
  return outcome;
}

/** The debug line for an outcome another process recorded; returns the outcome. */
export function logRecorded(outcome: Outcome, log: DebugLog): Outcome {
  log(`exit status ${outcome.exitStatus} was already ${outcome.accepted ? 'promised' : 'refused'} by another process`);
  return outcome;
}

const codes = new Set<string>(Object.values(ErrorCode));

/** A code read from a file is believed only if it is one of ours. */
export function knownCode(value: unknown): ErrorCode | undefined {
  return typeof value === 'string' && codes.has(value) ? (value as ErrorCode) : undefined;
}

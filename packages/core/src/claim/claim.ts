import { closeSync, type FSWatcher, linkSync, lstatSync, openSync, readdirSync, unlinkSync, utimesSync, watch, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clampDelay, now } from '../clock.js';
import type { DebugLog } from '../debug.js';
import type { ErrorCode } from '../errors.js';
import type { Outcome } from '../outcome.js';
import { currentIdentity, type HolderIdentity, holderLiveness } from './holder-liveness.js';
import { knownCode, readOwnFile, readRecord, recordFileOf, recordPath } from './record.js';

/*
 * Why a hand-written claim rather than a lock library (docs/claim.md has the figures): the lockfile packages
 * reclaim a stale lock by deleting and re-creating it, and two processes held one lock at once in
 * stress runs. Here nothing is ever deleted or renamed while an exit status is in use: every attempt
 * gets a new file, `exit-N.claim.<generation>`, created with O_EXCL, so exactly one process wins each
 * generation and a dead holder is replaced by the next generation, never "unlocked". A lock would not
 * be enough anyway: waiters need the outcome (`exit-N.result`), and a transient failure must let the
 * next caller try again (`exit-N.claim.<g>.done`).
 *
 *   <job directory>/exit-1.result        the final outcome: success or a refusal Buildkite will repeat
 *   <job directory>/exit-1.claim.<g>     generation g's holder (HolderIdentity + deadline); mtime = heartbeat
 *   <job directory>/exit-1.claim.<g>.done  generation g gave up after a transient failure
 */

interface ClaimFile extends HolderIdentity {
  /** Past this time (ms since the epoch, on clock.ts's `now()`) a live holder is considered hung. */
  deadline: number;
}

/** How often a holder touches its claim, and how old a heartbeat must be to count a holder dead. */
const heartbeatInterval = 2_000;
const heartbeatExpiry = 10_000;
/** A claim file that cannot be read was left by a process that died between creating and writing it. */
const unreadableClaimExpiry = 2_000;
/** Added to a holder's own deadline: the holder needs a moment to record what it got. */
const deadlineMargin = 5_000;
/*
 * A waiter is woken by the directory itself (inotify through fs.watch: the holder's record, its
 * release, a new generation, its heartbeat), so the polls are only for what makes no file event: a
 * holder that dies or passes its deadline. They start fast (a holder about to finish) and back off to
 * 750 ms: a dead holder is still seen well within the 2 s guarantee, and a waiter costs little CPU per
 * second waited (with 50 ms polls it cost several times more, and 63 waiters starved the holder on 2
 * CPUs). Figures: see bench/RESULTS.md, the waiter row, and "Earlier figures the code and docs cite".
 */
const firstPoll = 5;
const lastPoll = 750;

/**
 * A test seam (docs/claim.md describes the race it makes deterministic): `PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS` parks every process between
 * reading the claims and creating its own, so that processes started at different moments all race
 * for the same generation. Read only on this slow path; unset, it costs nothing.
 */
async function pauseForTests(): Promise<void> {
  const pause = Number(process.env.PROMISE_FAILURE_TEST_CLAIM_PAUSE_MS);
  if (pause > 0) await sleep(pause, undefined, { ref: false });
}

type Inspected =
  | { state: 'active'; pid: number; holder?: ClaimFile }
  | { state: 'released'; error: string | undefined; code: ErrorCode | undefined }
  | { state: 'stale' };

export type Claimed =
  | { kind: 'recorded'; outcome: Outcome }
  | { kind: 'holder'; claim: HeldClaim }
  | { kind: 'released'; error: string | undefined; code: ErrorCode | undefined }
  | { kind: 'timed-out'; holderPid: number | undefined };

export class ClaimSite {
  readonly #prefix: string;

  constructor(
    readonly directory: string,
    readonly exitStatus: number,
    private readonly log: DebugLog,
  ) {
    this.#prefix = `exit-${exitStatus}.`;
  }

  get resultPath(): string {
    return recordPath(this.directory, this.exitStatus);
  }

  claimPath(generation: number): string {
    return join(this.directory, `${this.#prefix}claim.${generation}`);
  }

  /** The recorded outcome, if any. A file that cannot be parsed is ignored (and replaced on publish). */
  readRecord(): Outcome | undefined {
    return readRecord(this.resultPath, this.exitStatus, this.log);
  }

  /**
   * Waits until this process holds the exit status, another process has recorded an outcome, the
   * generation we waited on gave up after a transient failure, or `deadline` passes. Throws only on a
   * file-system error, after which the caller declares without the claim.
   */
  async claimExitStatus(deadline: number): Promise<Claimed> {
    const wake = new DirectoryWake(this.directory);
    try {
      return await this.#claimExitStatus(deadline, wake);
    } finally {
      wake.close();
    }
  }

  async #claimExitStatus(deadline: number, wake: DirectoryWake): Promise<Claimed> {
    const waitedOn = new Set<number>();
    let poll = firstPoll;
    let lastHolder: number | undefined;
    let scanned: { top: number; done: Set<number> } | undefined;
    /** The holder read from the claim of generation `generation`: a claim's content never changes. */
    let known: { generation: number; holder: ClaimFile } | undefined;
    for (;;) {
      // While watching, the record, the list of claims and the holder's claim are read again only
      // after a file appeared or went: a poll without one only checks that the holder still lives.
      if (scanned === undefined || wake.takeChange()) {
        const recorded = this.readRecord();
        if (recorded) return { kind: 'recorded', outcome: recorded };
        scanned = this.#scan();
        known = undefined;
      }
      const { top, done } = scanned;
      const cached = known?.generation === top ? known.holder : undefined;
      const current = top === 0 ? undefined : cached ? this.#judge(top, cached) : this.#inspect(top, done.has(top));
      if (current?.state === 'active' && current.holder) known = { generation: top, holder: current.holder };
      if (current === undefined || current.state !== 'active') {
        if (current?.state === 'released' && waitedOn.has(top)) {
          // We waited while that attempt ran: share its transient failure rather than start another one.
          return { kind: 'released', error: current.error, code: current.code };
        }
        await pauseForTests();
        const held = this.#tryClaim(top + 1, deadline);
        if (held) {
          // The previous holder may have recorded an outcome between our read and our claim.
          const late = this.readRecord();
          if (late) {
            held.release(undefined);
            return { kind: 'recorded', outcome: late };
          }
          return { kind: 'holder', claim: held };
        }
        scanned = undefined;
        continue;
      }
      if (waitedOn.size === 0) {
        this.log(`waiting for pid ${current.pid}, which is declaring exit status ${this.exitStatus}`);
        wake.start();
      }
      waitedOn.add(top);
      lastHolder = current.pid;
      if (now() >= deadline) return { kind: 'timed-out', holderPid: lastHolder };
      await wake.next(Math.min(poll, Math.max(1, deadline - now())));
      poll = Math.min(lastPoll, poll * 2);
    }
  }

  /** The highest generation present, and which generations are done. */
  #scan(): { top: number; done: Set<number> } {
    let top = 0;
    const done = new Set<number>();
    const claimPrefix = `${this.#prefix}claim.`;
    for (const name of readdirSync(this.directory)) {
      if (!name.startsWith(claimPrefix)) continue;
      const rest = name.slice(claimPrefix.length);
      const isDone = rest.endsWith('.done');
      const digits = isDone ? rest.slice(0, -'.done'.length) : rest;
      if (!/^\d+$/.test(digits)) continue;
      const generation = Number(digits);
      if (isDone) done.add(generation);
      else if (generation > top) top = generation;
    }
    return { top, done };
  }

  /** Whether generation g is still being worked on by a live holder: its claim read, then judged. */
  #inspect(generation: number, isDone: boolean): Inspected {
    const path = this.claimPath(generation);
    if (isDone) {
      let error: string | undefined;
      let code: ErrorCode | undefined;
      try {
        const done = JSON.parse(readOwnFile(`${path}.done`) || '{}') as { error?: unknown; code?: unknown };
        error = typeof done.error === 'string' ? done.error : undefined;
        code = knownCode(done.code);
      } catch {
        error = undefined;
      }
      return { state: 'released', error, code };
    }
    let heartbeat: number;
    let text: string;
    try {
      heartbeat = lstatSync(path).mtimeMs;
      // Not a regular file of ours: nobody we could wait for. The next generation is ours to take.
      const read = readOwnFile(path);
      if (typeof read !== 'string') return { state: 'stale' };
      text = read;
    } catch {
      return { state: 'stale' };
    }
    let holder: ClaimFile;
    try {
      holder = JSON.parse(text) as ClaimFile;
      if (typeof holder.pid !== 'number' || typeof holder.deadline !== 'number') throw new Error('incomplete');
    } catch {
      return now() - heartbeat > unreadableClaimExpiry ? { state: 'stale' } : { state: 'active', pid: 0 };
    }
    return this.#judge(generation, holder, heartbeat);
  }

  /**
   * Whether a holder already read is still at work: its deadline, then its process. The heartbeat (the
   * claim's mtime) is read only when the process cannot be checked from here, the one case it decides.
   */
  #judge(generation: number, holder: ClaimFile, heartbeat?: number): Inspected {
    if (now() > holder.deadline) {
      this.log(`the holder of exit status ${this.exitStatus} (pid ${holder.pid}) is past its deadline; taking over`);
      return { state: 'stale' };
    }
    const liveness = holderLiveness(holder);
    if (liveness === 'unknown') heartbeat ??= this.#heartbeatOf(generation);
    if (liveness === 'dead' || (liveness === 'unknown' && (heartbeat === undefined || now() - heartbeat > heartbeatExpiry))) {
      this.log(`the holder of exit status ${this.exitStatus} (pid ${holder.pid}) is gone; taking over`);
      return { state: 'stale' };
    }
    return { state: 'active', pid: holder.pid, holder };
  }

  /** The claim's mtime (its holder's last heartbeat), or undefined when it is gone. */
  #heartbeatOf(generation: number): number | undefined {
    try {
      return lstatSync(this.claimPath(generation)).mtimeMs;
    } catch {
      return undefined;
    }
  }

  #tryClaim(generation: number, deadline: number): HeldClaim | undefined {
    const path = this.claimPath(generation);
    let descriptor: number;
    try {
      descriptor = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    try {
      const content: ClaimFile = { ...currentIdentity(), deadline: deadline + deadlineMargin };
      writeSync(descriptor, JSON.stringify(content));
    } catch (error) {
      // A full disk (ENOSPC) or a quota: the claim exists but says nothing. Left there, every later
      // process would wait on it for 2 s, then leave its own (16 processes: the k-th waited 2k s).
      // Removed at once, and this process declares without the claim.
      closeSync(descriptor);
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
      throw error;
    }
    closeSync(descriptor);
    this.log(`claimed exit status ${this.exitStatus} (generation ${generation})`);
    return new HeldClaim(this, generation, this.log);
  }

  /**
   * Writes a file all at once or not at all: a temporary file, then `link` to the final name, which
   * fails if the name exists (first writer wins). Readers never see half a file.
   */
  publish(path: string, content: string, replaceUnreadable: boolean): void {
    const temporary = `${path}.${process.pid}.${now().toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, content);
    } catch (error) {
      closeSync(descriptor);
      unlinkSync(temporary);
      throw error;
    }
    closeSync(descriptor);
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (replaceUnreadable && this.readRecord() === undefined) {
        unlinkSync(path);
        linkSync(temporary, path);
      }
    } finally {
      unlinkSync(temporary);
    }
  }
}

/**
 * Sleeps until a timer or a change in the directory, whichever comes first. Neither keeps the process
 * alive (an abandoned wait must not hold a test runner open). Without a watcher (a file system that
 * has none), it is a plain timer.
 */
class DirectoryWake {
  #watcher: FSWatcher | undefined;
  #changed = false;
  #wake: (() => void) | undefined;

  constructor(private readonly directory: string) {}

  /** Watches from the first wait on: a process that never waits never pays for a watcher. */
  start(): void {
    if (this.#watcher !== undefined) return;
    // Whatever changed between the last read and the watch: read everything once more.
    this.#changed = true;
    try {
      // 'rename': a file appeared or went (a record, a release, a new claim). 'change' is the
      // holder's heartbeat (its mtime, every 2 s): nothing to act on.
      this.#watcher = watch(this.directory, { persistent: false }, (event) => {
        if (event !== 'rename') return;
        this.#changed = true;
        this.#wake?.();
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      this.#watcher = undefined;
    }
  }

  /** Whether the directory may have changed since the last call (always, when not watching). */
  takeChange(): boolean {
    const changed = this.#watcher === undefined || this.#changed;
    this.#changed = false;
    return changed;
  }

  next(ms: number): Promise<void> {
    if (this.#changed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, clampDelay(ms));
      timer.unref();
      this.#wake = done;
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

/** This process holds generation g: it declares, then records the outcome or releases the claim. */
export class HeldClaim {
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    private readonly site: ClaimSite,
    readonly generation: number,
    private readonly log: DebugLog,
  ) {
    const path = site.claimPath(generation);
    this.#heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // The claim is gone or the disk is: waiters will judge by our pid.
      }
    }, heartbeatInterval);
    this.#heartbeat.unref();
  }

  /** Success or a refusal Buildkite will repeat: every later call, in any process, returns this. */
  record(outcome: Outcome): void {
    clearInterval(this.#heartbeat);
    try {
      this.site.publish(this.site.resultPath, JSON.stringify(recordFileOf(outcome)), true);
    } catch (error) {
      this.log(`could not record the outcome (${(error as Error).message})`);
    }
  }

  /** A transient failure: nothing is recorded, and the next caller starts a new generation. */
  release(error: string | undefined, code?: ErrorCode): void {
    clearInterval(this.#heartbeat);
    try {
      this.site.publish(`${this.site.claimPath(this.generation)}.done`, JSON.stringify({ error, code }), false);
    } catch (failure) {
      this.log(`could not release the claim (${(failure as Error).message})`);
    }
  }
}

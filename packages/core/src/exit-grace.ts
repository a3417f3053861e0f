import { now } from './clock.js';
import type { DebugLog } from './debug.js';

/*
 * A process that exits (`process.exit()`: Node 20's `--test-force-exit`, a runner's `--forceExit`, a test that
 * calls it) right after a failure would end the declaration's worker thread before its request is out: the
 * declaration starts cold (the worker's start-up, its code, the connection) and on a loaded machine that takes
 * longer than the 50 ms of tests such a run may have left. Nothing asynchronous can run in an 'exit' listener,
 * but a worker thread does not need this thread: the listener blocks this thread on a cell of shared memory
 * that the worker sets once Buildkite answered (`Atomics.wait`), and the worker, on its own thread, goes on.
 *
 * Bounded by the declaration's first {@link exitGrace} ms: a process that exits then waits at most what remains
 * of them, and one that exits later (a declaration abandoned after `flushTimeout`, Buildkite hung) does not wait
 * at all. Only a worker's declaration is waited for: one in this thread cannot move while this thread waits.
 */

/** How long after its start a declaration holds an exiting process for Buildkite's answer: 1 s at most. */
export const exitGrace = 1_000;

interface Held {
  readonly key: string;
  readonly cells: Int32Array;
  readonly index: number;
  readonly until: number;
  readonly log: DebugLog;
}

const held = new Set<Held>();
/** The keys of the declarations whose answer came in while the exiting thread waited. */
const answered = new Set<string>();
let listening = false;

/**
 * Until `release` is called, an exiting process waits (blocking, in its 'exit' listener) for `cells[index]` to
 * turn non-zero, at most until {@link exitGrace} ms after now.
 */
export function holdExitUntilAnswered(key: string, cells: Int32Array, index: number, log: DebugLog): () => void {
  const entry: Held = { key, cells, index, until: now() + exitGrace, log };
  held.add(entry);
  if (!listening) {
    listening = true;
    // First: the debug lines of the core and the reporters' own exit lines come after the wait.
    process.prependListener('exit', waitForAnswers);
  }
  return () => {
    held.delete(entry);
  };
}

function waitForAnswers(): void {
  for (const { key, cells, index, until, log } of held) {
    const left = until - now();
    if (Atomics.load(cells, index) !== 0) answered.add(key);
    if (left <= 0 || Atomics.load(cells, index) !== 0) continue;
    const waited = Atomics.wait(cells, index, 0, left);
    if (waited !== 'timed-out') answered.add(key);
    log(
      waited === 'timed-out'
        ? `the process is exiting: waited ${Math.round(left)} ms for the declaration's worker thread, without Buildkite's answer`
        : "the process is exiting: waited for the declaration's worker thread until Buildkite answered",
    );
  }
  held.clear();
}

/** Whether the declaration for `key` got Buildkite's answer while this process was exiting (its debug line is moot). */
export function answeredAtExit(key: string): boolean {
  return answered.has(key);
}

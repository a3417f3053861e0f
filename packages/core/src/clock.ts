import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/*
 * The clock and the timers of a declaration, which no test's fake timers reach. A test may install fake
 * timers (`vi.useFakeTimers()`, `@sinonjs/fake-timers`) and set the date to 2099 before the failure that
 * starts a declaration, and leave them installed. Measured on Vitest 3 and 4 and @sinonjs/fake-timers 15:
 * they replace the global `Date`, `setTimeout` and `performance`, and also patch the `node:timers` and
 * `node:timers/promises` module objects; fake-timers 15 gives `node:perf_hooks`' `performance` an own
 * `now`. The core is loaded lazily (at the first failure, after the fakes), so no timer function read
 * from those modules then is sure to be real, and even `AbortSignal.timeout` is not: Node builds it on
 * the `node:timers` functions it reads when it first loads, which may be after the fakes.
 *
 * What none of them touch: `Performance.prototype.now` and `performance.timeOrigin` (the fakes shadow
 * `now` on the instance, never the prototype), and `Atomics.waitAsync`, whose timeout runs on V8's own
 * task queue. The time is epoch milliseconds (the thread's origin plus the monotonic time since), so a
 * deadline means the same in the caller's thread, the declaration's worker thread and another process's
 * claim file.
 *
 * Only the caller's thread needs them (the deadline, the caller's wait). The claim's and the transports'
 * timers run in the declaration's worker thread (declare-in-worker.ts), a realm of its own that no test's
 * fakes reach; they keep Node's timers and take their delays through `clampDelay`.
 */
const performanceNow = Object.getPrototypeOf(performance).now as (this: typeof performance) => number;

/** Milliseconds since the epoch, on a clock no fake timers move. */
export function now(): number {
  return performance.timeOrigin + performanceNow.call(performance);
}

/** The longest delay Node's timers accept: a longer one fires at once (and `AbortSignal.timeout` throws). */
export const maxDelay = 2_147_483_647;

/** `ms` as a delay Node's timers accept: a whole number from 1 to {@link maxDelay}. */
export function clampDelay(ms: number): number {
  if (!(ms >= 1)) return 1;
  return ms > maxDelay ? maxDelay : Math.ceil(ms);
}

/** `Atomics.waitAsync` (ES2024, in every Node this supports; the compiler's library predates it). */
type WaitAsync = (cell: Int32Array, index: number, value: number, timeout: number) => { value: string | Promise<string> };

/** Stops a timer started by {@link startTimer}; calling it after the timer fired does nothing. */
export type StopTimer = () => void;

/**
 * Calls `onTimeout` once after `ms` (clamped), unless stopped first. `keepAlive` holds the process open
 * until then, as a ref'd timer would (a ref'd message port: `Atomics.waitAsync` alone holds nothing).
 */
export function startTimer(ms: number, onTimeout: () => void, { keepAlive }: { keepAlive: boolean }): StopTimer {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let hold: MessagePort | undefined;
  if (keepAlive) {
    hold = new MessageChannel().port1;
    // A port with a 'message' listener is ref'd: it keeps the event loop alive until closed.
    hold.on('message', () => {});
  }
  let stopped = false;
  const release = () => {
    hold?.close();
    hold = undefined;
  };
  const waited = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(cell, 0, 0, clampDelay(ms));
  void Promise.resolve(waited.value).then(() => {
    release();
    if (!stopped) {
      stopped = true;
      onTimeout();
    }
  });
  return () => {
    if (stopped) return;
    stopped = true;
    release();
    // Wakes the wait at once, so that nothing is left pending until `ms`.
    Atomics.notify(cell, 0);
  };
}

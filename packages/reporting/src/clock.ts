import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/*
 * A timer no test's fake timers reach, for the flush wait: an `afterAll` (Vitest's setup file), an
 * environment's `teardown` (Jest) or a root hook (Mocha's register) runs after the tests, and a test may have
 * left `vi.useFakeTimers()` or @sinonjs/fake-timers installed. Those replace the global `setTimeout` and
 * patch the `node:timers` module object itself, so a wait on either would never end. `Atomics.waitAsync`'s
 * timeout runs on V8's own task queue, which no fake touches. The same as the core's clock.ts `startTimer`,
 * written out again because the kit must not load the core before a failure.
 */

const performanceNow = Object.getPrototypeOf(performance).now as (this: typeof performance) => number;

/**
 * Monotonic milliseconds, which no fake moves: `Performance.prototype.now` (fake-timers 15 shadows `now` on
 * `node:perf_hooks`' instance, never on its prototype; Vitest's fakes replace only the global `performance`).
 */
export function monotonicNow(): number {
  return performanceNow.call(performance);
}

/** Milliseconds since the epoch on the same clock, comparable between processes (a shared flush window). */
export function epochNow(): number {
  return performance.timeOrigin + monotonicNow();
}

/** `Atomics.waitAsync` (ES2024, in every Node this supports; the compiler's library predates it). */
type WaitAsync = (cell: Int32Array, index: number, value: number, timeout: number) => { value: string | Promise<string> };

/** Stops a timer started by {@link startTimer}; calling it after the timer fired does nothing. */
export type StopTimer = () => void;

/** The longest delay Node's timers accept. */
const maxDelay = 2_147_483_647;

/**
 * Calls `onTimeout` once after `ms` (from 1 to 2147483647), unless stopped first. `keepAlive` holds the
 * process open until then, as a ref'd timer would (a ref'd message port: `Atomics.waitAsync` alone holds nothing).
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
  const waited = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(cell, 0, 0, Math.min(maxDelay, Math.max(1, Math.ceil(ms))));
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

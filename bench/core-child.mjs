// One benchmark process. Modes:
//   race <calls>      start <calls> concurrent calls at once; print how many were accepted
//   fresh             one call (another process recorded the result): print ms from call to result
//   repeat <n>        first call, then <n> sequential calls in batches: print the median ns per call
//   hold              one call (the fake hangs it): stays until killed
//   cold              import the core and make the first call (nothing recorded): wall time and CPU time on
//                     this (the caller's) thread, for the import and for the call; and the CPU time of the
//                     process's other threads (the declaration's worker) meanwhile
//   wait <ms> <settle> one call that waits on another process's claim: CPU time per second spent waiting,
//                     measured from <settle> ms after the call
import { readFileSync } from 'node:fs';

/** CPU time (ms) this thread has run: Linux's per-thread scheduler clock; elsewhere, the whole process's. */
function threadCpuMs() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1_000;
  }
}

const [mode, count, settleMs] = process.argv.slice(2);
if (mode === 'cold') {
  const processAtStart = process.cpuUsage();
  const cpuAtStart = threadCpuMs();
  const started = performance.now();
  const { promiseFailure } = await import('@promise-failure/core');
  const imported = performance.now();
  const cpuImported = threadCpuMs();
  const result = await promiseFailure({ reason: 'bench' });
  const done = performance.now();
  const callerCpuMs = threadCpuMs() - cpuAtStart;
  const { user, system } = process.cpuUsage(processAtStart);
  process.stdout.write(
    JSON.stringify({
      importMs: imported - started,
      callMs: done - imported,
      importCpuMs: cpuImported - cpuAtStart,
      callCpuMs: threadCpuMs() - cpuImported,
      // Every other thread of the process over the same span: the declaration's worker, and V8's and libuv's own.
      otherThreadsCpuMs: (user + system) / 1_000 - callerCpuMs,
      outcome: result.outcome,
      accepted: result.accepted,
    }),
  );
  process.exit(0);
}
const { promiseFailure } = await import('@promise-failure/core');
if (mode === 'wait') {
  const controller = new AbortController();
  const waiting = promiseFailure({ signal: controller.signal });
  // Settle into waiting first (the claim read, the holder found, and V8's collection of what loading
  // the core left behind, which runs for about a second after): only the wait itself is measured.
  await new Promise((resolve) => setTimeout(resolve, Number(settleMs)));
  const cpuBefore = process.cpuUsage();
  const threadBefore = threadCpuMs();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, Number(count)));
  const seconds = (performance.now() - started) / 1_000;
  const { user, system } = process.cpuUsage(cpuBefore);
  const threadMs = threadCpuMs() - threadBefore;
  controller.abort();
  const result = await waiting;
  process.stdout.write(
    JSON.stringify({
      processCpuMsPerSecond: (user + system) / 1_000 / seconds,
      threadCpuMsPerSecond: threadMs / seconds,
      seconds,
      outcome: result.outcome,
    }),
  );
  process.exit(0);
}
if (mode === 'race') {
  const results = await Promise.all(Array.from({ length: Number(count) }, () => promiseFailure({ reason: 'bench' })));
  process.stdout.write(
    JSON.stringify({
      accepted: results.filter((result) => result.accepted).length,
      declared: results.filter((result) => result.outcome === 'declared').length,
    }),
  );
} else if (mode === 'fresh') {
  const started = performance.now();
  const result = await promiseFailure();
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, outcome: result.outcome, accepted: result.accepted }));
} else if (mode === 'repeat') {
  await promiseFailure();
  const batch = 10_000;
  const perCall = [];
  for (let round = 0; round < Math.max(5, Number(count) / batch); round++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < batch; index++) await promiseFailure();
    perCall.push(Number(process.hrtime.bigint() - started) / batch);
  }
  perCall.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ medianNs: perCall[Math.floor(perCall.length / 2)] }));
} else if (mode === 'hold') {
  const result = await promiseFailure();
  process.stdout.write(JSON.stringify(result));
}

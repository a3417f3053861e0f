// One benchmark process. Modes:
//   race <calls>      start <calls> concurrent calls at once; print how many were accepted
//   fresh             one call (another process recorded the result): print ms from call to result
//   repeat <n>        first call, then <n> sequential calls in batches: print the median ns per call
//   hold              one call (the fake hangs it): stays until killed
import { promiseFailure } from '@promise-failure/core';

const [mode, count] = process.argv.slice(2);
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
